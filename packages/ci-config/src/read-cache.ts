// `cache:` validated as GitLab's cache entry does (a hash or up to four hashes) and read into what the runner
// restores and saves. https://docs.gitlab.com/ci/yaml/#cache

import type { JobCache, JobCacheKey } from "@buildsim/core";
import { isHash } from "./deep-merge.js";
import { at, checkKeys, type EntryScope } from "./read-values.js";

const CACHE_KEYS = ["key", "paths", "untracked", "when", "policy", "unprotect", "fallback_keys"];
const MAX_CACHES = 4;

function checkOne(scope: EntryScope): void {
  const h = scope.hash;
  checkKeys(scope, CACHE_KEYS);
  const loc = scope.location;
  if (h.paths !== undefined && !(Array.isArray(h.paths) && h.paths.every((p) => typeof p === "string")))
    scope.problems.add(at(scope, "paths"), `${loc}:paths config should be an array of strings`);
  if (h.untracked !== undefined && typeof h.untracked !== "boolean")
    scope.problems.add(at(scope, "untracked"), `${loc}:untracked config should be a boolean value`);
  // `unprotect` is a Boolean entry like `untracked` (lib/gitlab/ci/config/entry/cache.rb).
  if (h.unprotect !== undefined && typeof h.unprotect !== "boolean")
    scope.problems.add(at(scope, "unprotect"), `${loc}:unprotect config should be a boolean value`);
  if (h.policy !== undefined && !["pull-push", "push", "pull"].includes(h.policy as string))
    scope.problems.add(at(scope, "policy"), `${loc}:policy config should be one of pull-push, push or pull`);
  if (
    h.fallback_keys !== undefined &&
    !(Array.isArray(h.fallback_keys) && h.fallback_keys.every((k) => typeof k === "string"))
  )
    scope.problems.add(
      at(scope, "fallback_keys"),
      `${loc}:fallback_keys config should be an array of strings`,
    );
  if (h.when !== undefined && !["on_success", "on_failure", "always"].includes(h.when as string))
    scope.problems.add(
      at(scope, "when"),
      `${loc}:when config should be one of on_success, on_failure or always`,
    );
  const key = h.key;
  if (key === undefined || typeof key === "string" || typeof key === "number") return;
  if (!isHash(key)) {
    scope.problems.add(at(scope, "key"), `${loc}:key config should be a hash, a string or a symbol`);
    return;
  }
  const keyScope: EntryScope = { ...scope, location: `${loc}:key`, hash: key, pos: at(scope, "key") };
  checkKeys(keyScope, ["files", "prefix", "files_commits"]);
  const files = key.files;
  if (!(Array.isArray(files) && files.every((f) => typeof f === "string")))
    scope.problems.add(at(keyScope, "files"), `${loc}:key:files config should be an array of strings`);
  else if (files.length === 0 || files.length > 2)
    scope.problems.add(
      at(keyScope, "files"),
      files.length === 0
        ? `${loc}:key:files config has too few items (minimum is 1)`
        : `${loc}:key:files config has too many items (maximum is 2)`,
    );
}

/** Checks `cache:` of a job, of `default:` or at the root; problems go to the scope's list. */
export function checkCache(scope: EntryScope, key = "cache"): void {
  const value = scope.hash[key];
  const location = scope.location === "root" ? key : `${scope.location}:${key}`;
  const list = Array.isArray(value) ? value : [value];
  // Entry::Caches (lib/gitlab/ci/config/entry/caches.rb): "can only be a Hash or an Array", and
  // "no more than 4 caches can be created".
  if (!isHash(value) && !Array.isArray(value)) {
    scope.problems.add(at(scope, key), `${location} config can only be a Hash or an Array`);
    return;
  }
  if (Array.isArray(value) && value.length > MAX_CACHES) {
    scope.problems.add(at(scope, key), `${location} config no more than ${MAX_CACHES} caches can be created`);
    return;
  }
  for (const item of list) {
    if (!isHash(item)) {
      scope.problems.add(at(scope, key), `${location} config should be a hash or an array of hashes`);
      return;
    }
    checkOne({ ...scope, location, hash: item, pos: at(scope, key) });
  }
}

function keyOf(value: unknown): JobCacheKey {
  if (value === undefined || value === null) return "default";
  if (!isHash(value)) return String(value);
  // `files_commits` (hashing the files' last commits) is read as no files: the key is `prefix-default`.
  const files = Array.isArray(value.files) ? (value.files as string[]) : [];
  return { files, prefix: typeof value.prefix === "string" ? value.prefix : null };
}

/**
 * Validates `cache:` (see checkCache) and reads it, with GitLab's defaults: key `default`, policy
 * `pull-push`, when `on_success`. `cache: []` or `{}` means no cache (and turns an inherited one off).
 */
export function readCache(scope: EntryScope, key = "cache"): JobCache[] {
  const before = scope.problems.items.length;
  checkCache(scope, key);
  if (scope.problems.items.length > before) return [];
  const value = scope.hash[key];
  const list = (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
  return list
    .filter((item) => Object.keys(item).length > 0)
    .map((item) => ({
      key: keyOf(item.key),
      paths: (item.paths as string[] | undefined) ?? [],
      untracked: item.untracked === true,
      policy: (item.policy as JobCache["policy"] | undefined) ?? "pull-push",
      when: (item.when as JobCache["when"] | undefined) ?? "on_success",
      fallbackKeys: (item.fallback_keys as string[] | undefined) ?? [],
      ...(item.unprotect === true ? { unprotect: true } : {}),
    }));
}
