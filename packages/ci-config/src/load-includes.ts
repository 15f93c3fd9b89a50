// Reads the entry file and everything it includes the way GitLab merges them: included files deep-merged in
// order, then the including file's own content on top; nested includes resolved in the context (project,
// ref) of the file that names them. Files from outside come from injected `IncludeSources`.
// https://docs.gitlab.com/ci/yaml/includes/

import { readFileSync } from "node:fs";
import path from "node:path";
import { deepMerge, isHash } from "./deep-merge.js";
import { expandExisting, referencedNames } from "./expand-variables.js";
import {
  describeEntry,
  type IncludeEntry,
  type IncludeLocation,
  parseComponentAddress,
  readIncludeEntry,
} from "./include-location.js";
import { evaluateIncludeRules, type IncludeRuleContext } from "./include-rules.js";
import { type IncludeFetch, type IncludeSources, OFFLINE_SOURCES } from "./include-sources.js";
import { interpolateInputs } from "./interpolate-inputs.js";
import { parseYaml } from "./parse-yaml.js";
import { resolveInputs } from "./read-spec-inputs.js";
import { itemPos, keyPos, type ProblemList, type SourcePos } from "./source-pos.js";
import { mergeSpecIncludes } from "./spec-include.js";

/** Reads a repository file by its path from the repository root; `undefined` when there is none. */
export type CiFileReader = (repoPath: string) => string | undefined;

/** GitLab's default `ci_max_includes`: every include counts, duplicates too (GitLab 16.0+). */
export const MAX_INCLUDES = 150;

/** A reader over a directory on disk (the repository root); paths never escape it. */
export function createDirectoryReader(rootDir: string): CiFileReader {
  const root = path.resolve(rootDir);
  return (repoPath) => {
    const full = path.resolve(root, repoPath);
    if (full !== root && !full.startsWith(root + path.sep)) return undefined;
    try {
      return readFileSync(full, "utf8");
    } catch {
      return undefined;
    }
  };
}

/** `include:` paths are relative to the repository root, with or without a leading slash. */
export function normalizeRepoPath(raw: string): string {
  return path.posix.normalize(raw.replace(/^\/+/, ""));
}

/** What the loader needs besides the repository: other sources, the pipeline's variables, rule callbacks. */
export interface IncludeOptions extends Partial<IncludeRuleContext> {
  sources?: IncludeSources;
  /** Every file path of the repository, for `include:local` wildcards. */
  listFiles?: () => readonly string[];
  /**
   * `include:artifact` of a child pipeline: `file` out of the artifacts of job `job` in the parent pipeline.
   * Without it (any other pipeline) an artifact include is an error, as in GitLab.
   */
  artifact?: (job: string, file: string) => IncludeFetch;
  /** Inputs for the entry file's `spec:inputs` (a multi-project trigger's `trigger:inputs`). */
  inputs?: Record<string, unknown>;
}

/** Whose repository a file belongs to: the pipeline's own (`project` null) or another project at a ref. */
interface FileContext {
  project: string | null;
  ref: string | null;
}

interface IncludeState {
  reader: CiFileReader;
  sources: IncludeSources;
  problems: ProblemList;
  rules: IncludeRuleContext;
  listFiles: (() => readonly string[]) | undefined;
  artifact: IncludeOptions["artifact"];
  /** Every include so far (GitLab's expandset): the same file may be included more than once. */
  count: number;
  /** Set when a source has not fetched a file yet: the result is incomplete but has no error. */
  pending: boolean;
}

/** A loaded file as one hash (without `include`), or null; `pending` when a source still fetches. */
export interface LoadedIncludes {
  hash: Record<string, unknown> | null;
  pending: boolean;
}

/**
 * Loads `entryFile` and everything it includes into one hash. Returns null when anything failed to load;
 * every problem lands in `problems`, one per failed include.
 */
export function loadWithIncludes(
  entryFile: string,
  reader: CiFileReader,
  problems: ProblemList,
  options: IncludeOptions = {},
): LoadedIncludes {
  const state: IncludeState = {
    reader,
    sources: options.sources ?? OFFLINE_SOURCES,
    problems,
    rules: { variables: options.variables ?? {}, exists: options.exists, changes: options.changes },
    listFiles: options.listFiles,
    artifact: options.artifact,
    count: 0,
    pending: false,
  };
  const before = problems.items.length;
  const source = reader(entryFile);
  const top: SourcePos = { file: entryFile, line: 1, col: 1 };
  if (source === undefined) {
    problems.add(top, `Local file \`${entryFile}\` does not exist!`);
    return { hash: null, pending: false };
  }
  const entry: IncludeEntry | null = options.inputs
    ? { location: { type: "local", path: entryFile }, inputs: options.inputs, rules: null, raw: entryFile }
    : null;
  const hash = loadContent(entryFile, source, null, entry, { project: null, ref: null }, state);
  return { hash: problems.items.length > before || state.pending ? null : hash, pending: state.pending };
}

/** Parses, interpolates and expands the includes of one file; `includedAt` is null for the entry file. */
function loadContent(
  file: string,
  source: string,
  includedAt: SourcePos | null,
  entry: IncludeEntry | null,
  context: FileContext,
  state: IncludeState,
  emptyMessage = `Included file \`${file}\` is empty or does not exist!`,
): Record<string, unknown> | null {
  const top: SourcePos = { file, line: 1, col: 1 };
  const fail = (message: string): null => {
    state.problems.add(includedAt ?? top, includedAt ? `\`${file}\`: ${message}` : message);
    return null;
  };
  const parsed = parseYaml(file, source);
  state.problems.warnings.push(...parsed.problems.warnings);
  if (parsed.problems.items.length > 0) {
    if (!includedAt) state.problems.items.push(...parsed.problems.items);
    else state.problems.add(includedAt, `\`${file}\`: ${parsed.problems.items[0]!.message}`);
    return null;
  }
  let value = parsed.value;
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    if (includedAt) state.problems.add(includedAt, emptyMessage);
    else state.problems.add(top, "Please provide content of .gitlab-ci.yml");
    return null;
  }
  if (parsed.header) {
    const merged = mergeSpecIncludes(
      parsed.header,
      (location) => fetchLocation(location, context, state),
      (text) => expandAll(text, state.rules.variables),
    );
    if ("pending" in merged) {
      state.pending = true;
      return null;
    }
    if ("error" in merged) return fail(merged.error);
    const inputs = resolveInputs(merged.header, entry?.inputs ?? null);
    if (inputs.errors.length > 0) return fail(inputs.errors.join(", "));
    const interpolated = interpolateInputs(value, inputs.values, state.rules.variables);
    if (interpolated.errors.length > 0) return fail(interpolated.errors.join(", "));
    value = interpolated.value;
  } else if (entry?.inputs) {
    return fail("Given inputs not defined in the `spec` section of the included configuration file");
  }
  if (!isHash(value)) {
    return includedAt
      ? fail(`Included file \`${file}\` does not have valid YAML syntax!`)
      : fail("Invalid configuration format");
  }
  if (!("include" in value)) return value;
  const own = deepMerge({}, value);
  delete own.include;
  let merged: Record<string, unknown> = {};
  const at = keyPos(value, "include", top);
  const list = Array.isArray(value.include) ? value.include : [value.include];
  for (const [index, item] of list.entries()) {
    // Past GitLab's limit the walk is over: an include bomb costs no more than 150 includes.
    if (state.count > MAX_INCLUDES) break;
    const itemAt = Array.isArray(value.include) ? itemPos(value.include, index, at) : at;
    for (const included of loadItem(item, itemAt, context, state)) merged = deepMerge(merged, included);
  }
  return deepMerge(merged, own);
}

/** GitLab's `ExpandVariables.expand`, which the include mapper uses: unknown variables become empty. */
function expandAll(text: string, vars: Readonly<Record<string, string>>): string {
  const unknown = referencedNames(text).filter((name) => !Object.hasOwn(vars, name));
  return expandExisting(text, { ...vars, ...Object.fromEntries(unknown.map((name) => [name, ""])) });
}

function loadItem(
  item: unknown,
  at: SourcePos,
  context: FileContext,
  state: IncludeState,
): Record<string, unknown>[] {
  if (item === null || item === undefined) return [];
  const read = readIncludeEntry(item, (text) => expandAll(text, state.rules.variables));
  if ("error" in read) {
    state.problems.add(at, read.error);
    return [];
  }
  const out: Record<string, unknown>[] = [];
  for (const entry of read.entries) {
    if (entry.rules) {
      const decision = evaluateIncludeRules(entry.rules, state.rules);
      if ("error" in decision) {
        state.problems.add(at, decision.error);
        continue;
      }
      if (!decision.include) continue;
    }
    for (const loaded of loadEntry(entry, at, context, state)) out.push(loaded);
  }
  return out;
}

/**
 * Wildcard `include:local` paths as GitLab's `search_files_by_wildcard_path` reads them: `**` matches
 * anything (slashes too), `*` anything but a slash; the whole path must match.
 */
export function wildcardPattern(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/\*\*|\*/g, (m) => (m === "**" ? ".*?" : "[^/]*?"))}$`);
}

function expandWildcard(pattern: string, state: IncludeState): string[] {
  const regex = wildcardPattern(pattern);
  return (state.listFiles?.() ?? []).filter((f) => regex.test(f)).sort();
}

function loadEntry(
  entry: IncludeEntry,
  at: SourcePos,
  context: FileContext,
  state: IncludeState,
): Record<string, unknown>[] {
  const loc = entry.location;
  if (loc.type === "local" && loc.path.includes("*")) {
    const pattern = normalizeRepoPath(loc.path);
    if (context.project !== null) {
      state.problems.add(
        at,
        `Local file \`${loc.path}\`: wildcard paths are only read from the pipeline's own repository`,
      );
      return [];
    }
    const out: Record<string, unknown>[] = [];
    for (const file of expandWildcard(pattern, state)) {
      const one = loadOne({ ...entry, location: { type: "local", path: file } }, at, context, state);
      if (one) out.push(one);
    }
    return out;
  }
  const one = loadOne(entry, at, context, state);
  return one ? [one] : [];
}

const hasYamlExtension = (file: string): boolean => /\.ya?ml$/i.test(path.posix.basename(file));

function loadOne(
  entry: IncludeEntry,
  at: SourcePos,
  context: FileContext,
  state: IncludeState,
): Record<string, unknown> | null {
  state.count++;
  if (state.count > MAX_INCLUDES) {
    // Reported once: the walk stops everywhere after the limit.
    if (state.count === MAX_INCLUDES + 1)
      state.problems.add(at, `Maximum of ${MAX_INCLUDES} nested includes are allowed!`);
    return null;
  }
  const loc = entry.location;
  const fromFetch = (
    name: string,
    fetched: IncludeFetch,
    next: FileContext,
    emptyMessage?: string,
  ): Record<string, unknown> | null => {
    if (fetched.ok === "pending") {
      state.pending = true;
      return null;
    }
    if (!fetched.ok) {
      state.problems.add(at, fetched.message);
      return null;
    }
    return loadContent(name, fetched.content, at, entry, next, state, emptyMessage);
  };
  switch (loc.type) {
    case "local": {
      const file = normalizeRepoPath(loc.path);
      if (!hasYamlExtension(file))
        return fail(state, at, `Included file \`${loc.path}\` does not have YAML extension!`);
      if (file.startsWith("../") || file === "..")
        return fail(state, at, `Local file \`${loc.path}\` does not exist!`);
      if (context.project !== null) {
        const fetched = state.sources.project(context.project, context.ref, file);
        const shown =
          fetched.ok === false && fetched.notFound
            ? ({
                ok: false,
                message: `Project \`${context.project}\` file \`${file}\` does not exist!`,
              } as const)
            : fetched;
        const empty = `Project \`${context.project}\` file \`${file}\` is empty!`;
        return fromFetch(`${context.project}:${file}`, shown, context, empty);
      }
      const source = state.reader(file);
      if (source === undefined) return fail(state, at, `Local file \`${file}\` does not exist!`);
      return loadContent(file, source, at, entry, context, state, `Local file \`${file}\` is empty!`);
    }
    case "project": {
      const file = normalizeRepoPath(loc.file);
      if (!hasYamlExtension(file))
        return fail(state, at, `Included file \`${loc.file}\` does not have YAML extension!`);
      const next = { project: loc.project, ref: loc.ref };
      const empty = `Project \`${loc.project}\` file \`${file}\` is empty!`;
      return fromFetch(
        `${loc.project}:${file}`,
        state.sources.project(loc.project, loc.ref, file),
        next,
        empty,
      );
    }
    case "remote":
      if (!hasYamlExtension(new URL(loc.url).pathname))
        return fail(state, at, `Included file \`${loc.url}\` does not have YAML extension!`);
      // Local includes of a remote file read the pipeline's own repository.
      return fromFetch(loc.url, state.sources.remote(loc.url), { project: null, ref: null });
    case "template":
      if (!loc.name.endsWith(".gitlab-ci.yml"))
        return fail(state, at, `Template file \`${loc.name}\` is not a valid location!`);
      return fromFetch(loc.name, state.sources.template(loc.name), { project: null, ref: null });
    case "component": {
      const parts = parseComponentAddress(loc.address);
      if (!parts) return fail(state, at, `Component '${loc.address}' - content not found`);
      const fetched = state.sources.component(loc.address);
      const next = { project: fetched.project ?? parts.project, ref: fetched.ref ?? parts.version };
      return fromFetch(loc.address, fetched, next);
    }
    default:
      if (!state.artifact)
        return fail(
          state,
          at,
          `\`${describeEntry(entry.raw)}\`: include:artifact is only valid in a trigger:include of a child pipeline`,
        );
      if (!hasYamlExtension(loc.artifact))
        return fail(state, at, `Included file \`${loc.artifact}\` does not have YAML extension!`);
      // Nested local includes of an artifact file read the pipeline's repository (External::File::Artifact).
      return fromFetch(loc.artifact, state.artifact(loc.job, normalizeRepoPath(loc.artifact)), context);
  }
}

function fail(state: IncludeState, at: SourcePos, message: string): null {
  state.problems.add(at, message);
  return null;
}

/** The text of a local, project or remote file in `context` (for `spec:include`), without loading it. */
function fetchLocation(location: IncludeLocation, context: FileContext, state: IncludeState): IncludeFetch {
  if (location.type === "remote") return state.sources.remote(location.url);
  if (location.type === "project")
    return state.sources.project(location.project, location.ref, normalizeRepoPath(location.file));
  if (location.type !== "local")
    return { ok: false, message: "header:spec:include config has an unknown file type" };
  const file = normalizeRepoPath(location.path);
  if (file.startsWith("../"))
    return { ok: false, message: `Local file \`${location.path}\` does not exist!` };
  if (context.project !== null) return state.sources.project(context.project, context.ref, file);
  const content = state.reader(file);
  return content === undefined
    ? { ok: false, message: `Local file \`${file}\` does not exist!` }
    : { ok: true, content };
}
