// `cache:` as GitLab validates it: a hash or a list of hashes with key, paths, untracked, policy, when and
// fallback_keys (https://docs.gitlab.com/ci/yaml/#cache).

import type { JobCache, JobCacheKey } from "@buildsim/core";
import { isHash } from "./deep-merge.js";
import { at, checkKeys, childLocation, type EntryScope } from "./read-values.js";

const CACHE_KEYS = ["key", "paths", "untracked", "policy", "when", "fallback_keys", "unprotect"];
const POLICIES = ["pull", "push", "pull-push"] as const;
const WHENS = ["on_success", "on_failure", "always"] as const;
/** GitLab allows at most four caches per job. */
const MAX_CACHES = 4;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function readKey(scope: EntryScope): JobCacheKey | null {
  const value = scope.hash.key;
  const location = `${scope.location}:key`;
  if (value === undefined) return "default";
  if (typeof value === "string" || typeof value === "number") {
    const key = String(value);
    // GitLab: the key cannot be `.` or `..`, nor contain `/` (escaped or not).
    if (key === "." || key === ".." || /\/|%2F/i.test(key)) {
      scope.problems.add(at(scope, "key"), `${location} config cannot contain the "/" character`);
      return null;
    }
    return key;
  }
  if (!isHash(value)) {
    scope.problems.add(at(scope, "key"), `${location} should be a hash, a string or a symbol`);
    return null;
  }
  const inner: EntryScope = { ...scope, location, hash: value, pos: at(scope, "key") };
  checkKeys(inner, ["files", "prefix"]);
  if (!isStringArray(value.files) || value.files.length === 0 || value.files.length > 2) {
    scope.problems.add(
      at(inner, "files"),
      `${location}:files config has to be an array of at most two files`,
    );
    return null;
  }
  if (value.prefix !== undefined && typeof value.prefix !== "string") {
    scope.problems.add(at(inner, "prefix"), `${location}:prefix config should be a string or symbol`);
    return null;
  }
  return { files: value.files, prefix: (value.prefix as string | undefined) ?? null };
}

function readOne(scope: EntryScope): JobCache | null {
  const h = scope.hash;
  checkKeys(scope, CACHE_KEYS);
  const key = readKey(scope);
  const paths = h.paths === undefined ? [] : h.paths;
  if (!isStringArray(paths)) {
    scope.problems.add(at(scope, "paths"), `${scope.location}:paths config should be an array of strings`);
    return null;
  }
  if (h.untracked !== undefined && typeof h.untracked !== "boolean") {
    scope.problems.add(
      at(scope, "untracked"),
      `${scope.location}:untracked config should be a boolean value`,
    );
    return null;
  }
  const policy = h.policy ?? "pull-push";
  if (!POLICIES.includes(policy as never)) {
    scope.problems.add(at(scope, "policy"), `${scope.location} policy should be pull-push, push, or pull`);
    return null;
  }
  const when = h.when ?? "on_success";
  if (!WHENS.includes(when as never)) {
    scope.problems.add(
      at(scope, "when"),
      `${scope.location} when should be on_success, on_failure or always`,
    );
    return null;
  }
  const fallbackKeys = h.fallback_keys ?? [];
  if (!isStringArray(fallbackKeys) || fallbackKeys.length > 5) {
    scope.problems.add(
      at(scope, "fallback_keys"),
      `${scope.location}:fallback_keys config should be an array of at most 5 strings`,
    );
    return null;
  }
  if (key === null) return null;
  return {
    key,
    paths,
    untracked: h.untracked === true,
    policy: policy as JobCache["policy"],
    when: when as JobCache["when"],
    fallbackKeys,
  };
}

/** Reads `scope.hash[key]` (`cache`): one hash or a list of up to four; `[]` or `{}` means no cache. */
export function readCache(scope: EntryScope, key: string): JobCache[] {
  const value = scope.hash[key];
  const location = childLocation(scope, key);
  const entries = Array.isArray(value) ? value : [value];
  if (entries.length > MAX_CACHES) {
    scope.problems.add(at(scope, key), `${location} config no more than ${MAX_CACHES} caches can be created`);
    return [];
  }
  const caches: JobCache[] = [];
  for (const entry of entries) {
    if (!isHash(entry)) {
      scope.problems.add(at(scope, key), `${location} config should be a hash or an array of hashes`);
      return [];
    }
    // `cache: {}` turns an inherited cache off.
    if (Object.keys(entry).length === 0) continue;
    const cache = readOne({ ...scope, location, hash: entry, pos: at(scope, key) });
    if (cache) caches.push(cache);
  }
  return caches;
}
