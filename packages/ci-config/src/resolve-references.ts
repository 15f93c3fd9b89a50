// `!reference [job, key, …]` tags, resolved after includes and `extends` like GitLab's Tags::Resolver.

import { isHash } from "./deep-merge.js";
import { ReferenceTag } from "./parse-yaml.js";
import type { ProblemList } from "./source-pos.js";

// References may point at values holding references; deeper than this is treated as a cycle.
const MAX_REFERENCE_DEPTH = 10;

/**
 * Replaces every `!reference` inside `root` by the value it points at. Mutates `root`. Returns the top-level
 * keys holding a reference that failed, so their jobs are not also reported for the hole it leaves.
 */
export function resolveReferences(root: Record<string, unknown>, problems: ProblemList): Set<string> {
  const failed = new Set<string>();
  let current = "";
  const lookup = (tag: ReferenceTag, depth: number): unknown => {
    if (depth > MAX_REFERENCE_DEPTH) {
      problems.add(tag.pos, `${tag} is part of a circular chain`);
      failed.add(current);
      return null;
    }
    // A reference into a key whose own references failed would only point at the hole they left.
    if (failed.has(tag.path[0]!)) {
      failed.add(current);
      return null;
    }
    let target: unknown = root;
    for (const key of tag.path) {
      if (!isHash(target) || !Object.hasOwn(target, key)) {
        problems.add(tag.pos, `${tag} could not be found`);
        failed.add(current);
        return null;
      }
      target = target[key];
    }
    const before = problems.items.length;
    const value = resolve(target, depth + 1);
    // GitLab treats a reference to nothing (null or false) as missing too, unless a deeper one failed.
    if ((value === null || value === false) && problems.items.length === before) {
      problems.add(tag.pos, `${tag} could not be found`);
      failed.add(current);
    }
    return value;
  };

  const resolve = (value: unknown, depth: number): unknown => {
    if (value instanceof ReferenceTag) return lookup(value, depth);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = resolve(value[i], depth);
    } else if (isHash(value)) {
      for (const key of Object.keys(value)) value[key] = resolve(value[key], depth);
    }
    return value;
  };

  for (const key of Object.keys(root)) {
    current = key;
    root[key] = resolve(root[key], 0);
  }
  return failed;
}
