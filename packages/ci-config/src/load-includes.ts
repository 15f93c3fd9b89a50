// Reads the entry file and its `include:local` files the way GitLab merges them: included files deep-merged
// in order, then the including file's own content on top; nested includes resolved the same way.

import { readFileSync } from "node:fs";
import path from "node:path";
import { deepMerge, isHash } from "./deep-merge.js";
import { parseYaml } from "./parse-yaml.js";
import { itemPos, keyPos, type ProblemList, type SourcePos } from "./source-pos.js";

/** Reads a repository file by its path from the repository root; `undefined` when there is none. */
export type CiFileReader = (repoPath: string) => string | undefined;

// GitLab caps the number of included files per pipeline.
const MAX_INCLUDES = 150;

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

interface IncludeState {
  reader: CiFileReader;
  problems: ProblemList;
  /** Every include so far (GitLab's expandset): the same file may be included more than once. */
  count: number;
  /** Files being loaded, outermost first: including one of them again would never end. */
  chain: string[];
}

/**
 * Loads `entryFile` and everything it includes into one hash (without the `include` key). Returns null
 * when the entry file itself cannot be read or is not a hash; every problem lands in `problems`.
 */
export function loadWithIncludes(
  entryFile: string,
  reader: CiFileReader,
  problems: ProblemList,
): Record<string, unknown> | null {
  const state: IncludeState = { reader, problems, count: 0, chain: [normalizeRepoPath(entryFile)] };
  return loadFile(entryFile, null, state);
}

function loadFile(
  file: string,
  includedAt: SourcePos | null,
  state: IncludeState,
): Record<string, unknown> | null {
  const top: SourcePos = { file, line: 1, col: 1 };
  const source = state.reader(file);
  if (source === undefined) {
    state.problems.add(includedAt ?? top, `Local file \`${file}\` does not exist!`);
    return null;
  }
  const parsed = parseYaml(file, source);
  state.problems.items.push(...parsed.problems.items);
  state.problems.warnings.push(...parsed.problems.warnings);
  const firstError = parsed.problems.items[0];
  if (firstError) {
    if (includedAt) state.problems.add(includedAt, `\`${file}\`: ${firstError.message}`);
    return null;
  }
  const value = parsed.value;
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    if (includedAt) state.problems.add(includedAt, `Local file \`${file}\` is empty!`);
    else state.problems.add(top, "Please provide content of .gitlab-ci.yml");
    return null;
  }
  if (!isHash(value)) {
    state.problems.add(
      includedAt ?? top,
      includedAt
        ? `Included file \`${file}\` does not have valid YAML syntax!`
        : "Invalid configuration format",
    );
    return null;
  }
  if (!("include" in value)) return value;
  const include = value.include;
  // A shallow copy keeps the key positions; the `include` keyword itself is consumed here.
  const own = deepMerge({}, value);
  delete own.include;
  let merged: Record<string, unknown> = {};
  for (const entry of includeEntries(include, keyPos(value, "include", top), state)) {
    const included = loadInclude(entry.path, entry.pos, state);
    if (included) merged = deepMerge(merged, included);
  }
  return deepMerge(merged, own);
}

function loadInclude(file: string, at: SourcePos, state: IncludeState): Record<string, unknown> | null {
  state.count++;
  // GitLab has no cycle check: a file including itself repeats until the include limit stops it.
  if (state.count > MAX_INCLUDES || state.chain.includes(file)) {
    state.problems.add(at, `Maximum of ${MAX_INCLUDES} nested includes are allowed!`);
    return null;
  }
  if (!/\.(yml|yaml)$/i.test(path.posix.basename(file))) {
    state.problems.add(at, `Included file \`${file}\` does not have YAML extension!`);
    return null;
  }
  state.chain.push(file);
  try {
    return loadFile(file, at, state);
  } finally {
    state.chain.pop();
  }
}

function includeEntries(
  include: unknown,
  pos: SourcePos,
  state: IncludeState,
): { path: string; pos: SourcePos }[] {
  const list = Array.isArray(include) ? include : [include];
  const entries: { path: string; pos: SourcePos }[] = [];
  list.forEach((item, index) => {
    const at = Array.isArray(include) ? itemPos(include, index, pos) : pos;
    if (typeof item === "string") {
      if (/^https?:\/\//.test(item)) {
        state.problems.add(at, `include:remote \`${item}\` is not supported locally; only include:local is`);
        return;
      }
      entries.push({ path: normalizeRepoPath(item), pos: at });
      return;
    }
    if (isHash(item)) {
      const keys = Object.keys(item);
      const unsupported = keys.filter((k) => k !== "local");
      if (typeof item.local === "string" && unsupported.length === 0) {
        entries.push({ path: normalizeRepoPath(item.local), pos: at });
        return;
      }
      if (unsupported.length > 0) {
        state.problems.add(at, `include:${unsupported[0]} is not supported locally; only include:local is`);
        return;
      }
    }
    state.problems.add(
      at,
      "include config should be a hash, a string or an array containing hashes and strings",
    );
  });
  return entries;
}
