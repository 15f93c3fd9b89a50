// GitLab's `deep_merge` for includes and `extends`: hashes merge key by key, everything else is replaced.

import { copyKeyLocs } from "./source-pos.js";

/** True for a plain mapping (not an array, not a `!reference` tag, not null). */
export function isHash(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && value.constructor === Object;
}

/**
 * Returns a new hash: `base` with `over` merged on top. Nested hashes merge recursively; arrays and scalars
 * in `over` replace those in `base`. Source positions follow the value that wins.
 */
export function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  copyKeyLocs(base, out);
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isHash(current) && isHash(value) ? deepMerge(current, value) : value;
  }
  copyKeyLocs(over, out);
  return out;
}
