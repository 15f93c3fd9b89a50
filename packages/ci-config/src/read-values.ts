// Small readers shared by the root and job validators: each checks one keyword's value, reports GitLab's
// message at the keyword's position, and returns the normalized value or null.

import { type PullPolicy, parseDurationS } from "@buildsim/core";
import type { CiFileCondition, CiImage, CiVariableDef } from "./ci-config-types.js";
import { isHash } from "./deep-merge.js";
import { type CiExpression, parseExpression } from "./expression.js";
import { keyPos, type ProblemList, type SourcePos } from "./source-pos.js";

/** Where a reader reports: the entry's GitLab location (`jobs:rspec`) and its hash. */
export interface EntryScope {
  /** GitLab's location prefix, e.g. `jobs:rspec`, `default`, `workflow:rules:rule`. */
  location: string;
  hash: Record<string, unknown>;
  pos: SourcePos;
  problems: ProblemList;
}

export const at = (scope: EntryScope, key: string): SourcePos => keyPos(scope.hash, key, scope.pos);

/** GitLab's location of a nested entry: `jobs:rspec:script`, but plain `variables` at the root. */
export const childLocation = (scope: EntryScope, key: string): string =>
  scope.location === "root" ? key : `${scope.location}:${key}`;

/** `<location> config contains unknown keys: a, b` when the hash has keys outside `allowed`. */
export function checkKeys(scope: EntryScope, allowed: readonly string[]): void {
  const unknown = Object.keys(scope.hash).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    scope.problems.add(
      at(scope, unknown[0]!),
      `${scope.location} config contains unknown keys: ${unknown.join(", ")}`,
    );
  }
}

// GitLab flattens nested script arrays up to 10 levels (so `!reference` can splice lists in). Items must be
// strings: YAML reads `- true` or `- 1` as a boolean or a number, which GitLab rejects.
const MAX_SCRIPT_NESTING = 10;

function flattenStrings(value: unknown, depth: number, out: string[]): boolean {
  if (typeof value === "string") {
    out.push(value);
    return true;
  }
  if (!Array.isArray(value) || depth > MAX_SCRIPT_NESTING) return false;
  return value.every((item) => flattenStrings(item, depth + 1, out));
}

/** `script`, `before_script`, `after_script`: a string or a nested array of strings, flattened. */
export function readScript(scope: EntryScope, key: string): string[] | null {
  const value = scope.hash[key];
  const out: string[] = [];
  if (
    value !== undefined &&
    (typeof value === "string" || Array.isArray(value)) &&
    flattenStrings(value, 1, out)
  ) {
    return out;
  }
  scope.problems.add(
    at(scope, key),
    `${childLocation(scope, key)} config should be a string or a nested array of strings up to 10 levels deep`,
  );
  return null;
}

/** An array of strings (tags, dependencies, paths…), or null after reporting `message`. */
export function readStringArray(scope: EntryScope, key: string, message: string): string[] | null {
  const value = scope.hash[key];
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value as string[];
  scope.problems.add(at(scope, key), message);
  return null;
}

/** The `{value, …}` keys a `variables:` hash entry may use: the root's, or a job's and a rule's. */
export const ROOT_VARIABLE_KEYS = ["value", "description", "expand", "options"] as const;
export const JOB_VARIABLE_KEYS = ["value", "expand"] as const;

// GitLab's `ScalarValidator`: strings, numbers and booleans, stored with Ruby's `to_s`.
const isScalar = (v: unknown): v is string | number | boolean =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/**
 * `variables:` — a hash of scalars (`FF_TIMESTAMPS: true` becomes `"true"`, a null value `""`), or of
 * `{value, description, expand, options}` hashes (GitLab's `Entry::Variable`). `expand: false` makes the
 * variable raw. Each malformed entry is reported at its key in GitLab's words and left out.
 */
export function readVariables(
  scope: EntryScope,
  key: string,
  allowed: readonly string[] = JOB_VARIABLE_KEYS,
): CiVariableDef[] {
  const value = scope.hash[key];
  if (value === null) return [];
  if (!isHash(value)) {
    scope.problems.add(
      at(scope, key),
      `${childLocation(scope, key)} config should be a hash of key value pairs, value can be a hash`,
    );
    return [];
  }
  const out: CiVariableDef[] = [];
  for (const [name, raw] of Object.entries(value)) {
    const location = `${childLocation(scope, key)}:${name}`;
    const pos = keyPos(value, name, at(scope, key));
    if (raw === null || isScalar(raw)) {
      out.push({ key: name, value: raw === null ? "" : String(raw) });
      continue;
    }
    if (!isHash(raw)) {
      scope.problems.add(pos, "variable definition must be either a string or a hash");
      continue;
    }
    const problem = complexVariableProblem(raw, allowed);
    if (problem) {
      scope.problems.add(pos, `${location} config ${problem}`);
      continue;
    }
    const def: CiVariableDef = { key: name, value: raw.value == null ? "" : String(raw.value) };
    if (raw.expand === false) def.raw = true;
    if (typeof raw.description === "string") def.description = raw.description;
    if (Array.isArray(raw.options)) def.options = raw.options as string[];
    out.push(def);
  }
  return out;
}

/** What is wrong with a `{value, …}` variable, in GitLab's words (after `config `), or null. */
function complexVariableProblem(raw: Record<string, unknown>, allowed: readonly string[]): string | null {
  const extra = Object.keys(raw).filter((k) => !allowed.includes(k));
  if (extra.length > 0) return `uses invalid data keys: ${extra.join(", ")}`;
  if (raw.value != null && !isScalar(raw.value)) return "value must be a scalar";
  if (raw.description != null && typeof raw.description !== "string" && typeof raw.description !== "number")
    return "description must be an alphanumeric string";
  if (raw.expand != null && typeof raw.expand !== "boolean") return "expand should be a boolean value";
  const options = raw.options;
  if (options != null && !(Array.isArray(options) && options.every((o) => typeof o === "string")))
    return "options should be an array of strings";
  if (Array.isArray(options) && options.length > 0 && !options.includes(String(raw.value ?? "")))
    return "value must be present in options";
  return null;
}

/** A duration keyword (`timeout`, `start_in`, `expire_in`) in seconds, or null after `message`. */
export function readDuration(
  scope: EntryScope,
  key: string,
  message: string,
  limitS?: number,
): number | null {
  const seconds = parseDurationS(scope.hash[key]);
  if (seconds === null) {
    scope.problems.add(at(scope, key), message);
    return null;
  }
  if (limitS !== undefined && seconds > limitS) {
    scope.problems.add(
      at(scope, key),
      message.replace(/should be a duration$/, "should not exceed the limit"),
    );
    return null;
  }
  return seconds;
}

/** `if:` expressions; GitLab's message for bad syntax is `<location> if invalid expression syntax`. */
export function readExpression(scope: EntryScope, key: string): CiExpression | null {
  const value = scope.hash[key];
  const parsed = typeof value === "string" ? parseExpression(value) : null;
  if (parsed?.ok) return parsed.expression;
  scope.problems.add(at(scope, key), `${scope.location} ${key} invalid expression syntax`);
  return null;
}

/** `changes:` / `exists:` — an array of globs or `{paths: [...]}`. */
export function readFileCondition(scope: EntryScope, key: "changes" | "exists"): CiFileCondition | null {
  const value = scope.hash[key];
  if (isHash(value)) {
    const inner: EntryScope = {
      ...scope,
      location: childLocation(scope, key),
      hash: value,
      pos: at(scope, key),
    };
    const local = ["compare_to", "project", "ref"].filter((k) => value[k] !== undefined);
    checkKeys(inner, key === "changes" ? ["paths", "compare_to"] : ["paths", "project", "ref"]);
    for (const option of local) {
      if ((key === "changes") === (option === "compare_to")) {
        scope.problems.warn(
          at(inner, option),
          `${inner.location} ${option} is not supported locally and is ignored`,
        );
      }
    }
  }
  const paths = isHash(value) ? value.paths : value;
  if (Array.isArray(paths) && paths.every((p) => typeof p === "string")) return { paths: paths as string[] };
  if (typeof paths === "string") return { paths: [paths] };
  scope.problems.add(at(scope, key), `${childLocation(scope, key)} config should be an array of strings`);
  return null;
}

/** `image:` / a `services:` entry: a string or a hash with `name`. */
export function toImage(value: unknown): CiImage | null {
  if (typeof value === "string") return { name: value };
  if (isHash(value) && typeof value.name === "string") {
    const image: CiImage = { name: value.name };
    if (Array.isArray(value.entrypoint)) image.entrypoint = value.entrypoint.map(String);
    if (typeof value.alias === "string") image.alias = value.alias;
    const policies = typeof value.pull_policy === "string" ? [value.pull_policy] : value.pull_policy;
    if (Array.isArray(policies)) image.pullPolicy = policies.map(String) as PullPolicy[];
    if (isHash(value.docker) && typeof value.docker.user === "string") image.user = value.docker.user;
    if (typeof value.command === "string") image.command = [value.command];
    else if (Array.isArray(value.command)) image.command = value.command.map(String);
    if (isHash(value.variables))
      image.variables = Object.entries(value.variables).map(([key, v]) => ({
        key,
        value: isHash(v) ? String(v.value ?? "") : String(v ?? ""),
      }));
    return image;
  }
  return null;
}

const PULL_POLICIES = ["always", "never", "if-not-present"];

/** GitLab rejects a `pull_policy` it does not know. */
function checkPullPolicy(scope: EntryScope, key: string, image: CiImage): void {
  const unknown = (image.pullPolicy ?? []).filter((p) => !PULL_POLICIES.includes(p));
  if (unknown.length > 0)
    scope.problems.add(
      at(scope, key),
      `${childLocation(scope, key)}:pull_policy config contains unknown values: ${unknown.join(", ")}`,
    );
}

export function readImage(scope: EntryScope, key: string): CiImage | null {
  const image = toImage(scope.hash[key]);
  if (!image)
    scope.problems.add(at(scope, key), `${childLocation(scope, key)} config should be a hash or a string`);
  else checkPullPolicy(scope, key, image);
  return image;
}

export function readServices(scope: EntryScope, key: string): CiImage[] {
  const value = scope.hash[key];
  const images = Array.isArray(value) ? value.map(toImage) : null;
  if (!images || images.some((i) => i === null)) {
    scope.problems.add(at(scope, key), `${childLocation(scope, key)} config should be a array`);
    return [];
  }
  for (const image of images as CiImage[]) checkPullPolicy(scope, key, image);
  return images as CiImage[];
}

export function readBoolean(scope: EntryScope, key: string, message: string): boolean | null {
  const value = scope.hash[key];
  if (typeof value === "boolean") return value;
  scope.problems.add(at(scope, key), message);
  return null;
}

/** A hash for a nested entry, with the nested location; null (after reporting) when not a hash. */
export function subScope(scope: EntryScope, key: string, message: string): EntryScope | null {
  const value = scope.hash[key];
  if (!isHash(value)) {
    scope.problems.add(at(scope, key), message);
    return null;
  }
  return { location: childLocation(scope, key), hash: value, pos: at(scope, key), problems: scope.problems };
}
