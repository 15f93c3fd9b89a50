// Measures how deeply a JSON text nests, without parsing it: a body nested past the limit is refused
// before `JSON.parse` and the param conversion (both recursive) ever see it.

/** GitLab answers bodies nested deeper than this with 400 (see `jsonNestedTooDeeply`). */
export const MAX_JSON_DEPTH = 100;

/**
 * True when `text` opens more than `maxDepth` arrays/objects at once. Brackets inside strings do not
 * count; the scan stops at the first level past the limit, so a hostile body costs at most one pass.
 */
export function exceedsJsonDepth(text: string, maxDepth: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > maxDepth) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
