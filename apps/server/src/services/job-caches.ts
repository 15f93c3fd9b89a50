// The `cache:` entries a job payload carries: GitLab keeps the caches of protected and unprotected refs
// apart by a key suffix, which the runner appends to the key it computes and to each fallback key.

import type { JobCache } from "@buildsim/core";

/**
 * GitLab's `Ci::Build#cache` (app/models/ci/build.rb, with the project's default "separate caches for
 * protected branches" on): `-protected` on a protected ref unless the entry says `unprotect: true`, else
 * `-non_protected`. https://docs.gitlab.com/ci/caching/ ("protected and
 * non-protected branches do not share the cache")
 */
export function cacheKeySuffix(cache: Pick<JobCache, "unprotect">, refProtected: boolean): string {
  return !cache.unprotect && refProtected ? "-protected" : "-non_protected";
}

/** The build's cache entries as the runner gets them: each with its key suffix. */
export function jobCaches(caches: readonly JobCache[], refProtected: boolean): JobCache[] {
  return caches.map((cache) => ({ ...cache, keySuffix: cacheKeySuffix(cache, refProtected) }));
}
