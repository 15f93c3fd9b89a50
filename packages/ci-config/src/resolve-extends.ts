// `extends:` as GitLab applies it before validation: every base hash (recursively extended first) is
// deep-merged in order, then the job's own keys on top; unknown bases, cycles and >10 levels are errors.

import { deepMerge, isHash } from "./deep-merge.js";
import { keyPos, type ProblemList, type SourcePos } from "./source-pos.js";

// GitLab's Extendable::Entry::MAX_NESTING_LEVELS: more ancestors than this is "nesting too deep".
const MAX_NESTING_LEVELS = 10;

/**
 * Replaces every entry of `root` that has `extends:` with its merged hash. Mutates `root`. Returns the keys
 * whose extension failed, so later checks do not pile more errors on them.
 */
export function resolveExtends(
  root: Record<string, unknown>,
  problems: ProblemList,
  top: SourcePos,
): Set<string> {
  const failed = new Set<string>();

  const extend = (key: string, ancestors: string[]): boolean => {
    const value = root[key];
    // Merged hashes keep `extends`, so a later job walks its whole chain again and depth counts from the
    // job that starts it, as in GitLab; merging a parent twice gives the same hash.
    if (!isHash(value) || !("extends" in value)) return true;
    if (failed.has(key)) return false;
    const pos = keyPos(value, "extends", keyPos(root, key, top));
    const fail = (message: string): boolean => {
      failed.add(key);
      problems.add(pos, message);
      return false;
    };
    const raw = value.extends;
    // `extends:` with no value extends nothing: GitLab reads it as `Array(nil)` (Extendable::Entry).
    const names = typeof raw === "string" ? [raw] : raw === null ? [] : raw;
    if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) {
      return fail(`jobs:${key} extends should be an array of strings or a string`);
    }
    const unknown = names.filter((n) => !Object.hasOwn(root, n));
    if (unknown.length > 0) return fail(`${key}: unknown keys in \`extends\` (${unknown.join(", ")})`);
    const invalid = names.filter((n) => !isHash(root[n]));
    if (invalid.length > 0) return fail(`${key}: invalid base hashes in \`extends\` (${invalid.join(", ")})`);
    if (ancestors.length > MAX_NESTING_LEVELS) return fail(`${key}: nesting too deep in \`extends\``);
    if (ancestors.includes(key)) return fail(`${key}: circular dependency detected in \`extends\``);
    for (const name of names) {
      if (!extend(name, [...ancestors, key])) {
        failed.add(key);
        return false;
      }
    }
    let merged: Record<string, unknown> = {};
    for (const name of names) merged = deepMerge(merged, root[name] as Record<string, unknown>);
    root[key] = deepMerge(merged, value);
    return true;
  };

  for (const key of Object.keys(root)) extend(key, []);
  return failed;
}
