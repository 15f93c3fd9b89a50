// How long a rendered page of builds stays true without a write: entities also change with time alone
// (artifacts expire; a running job's duration grows), so a cached page must not outlive that.

import type { Build } from "@buildsim/core";

export interface CacheableUntilOptions {
  /** The entity shows durations (v4 jobs): a pending or running build makes the page change every moment. */
  showsDurations: boolean;
}

/** Epoch ms until which the page rendered at `nowIso` is exact, or undefined when only writes change it. */
export function cacheableUntilMs(
  builds: readonly Build[],
  nowIso: string,
  options: CacheableUntilOptions,
): number | undefined {
  if (options.showsDurations && builds.some((b) => b.status === "running" || b.status === "pending"))
    return Date.parse(nowIso);
  let until: number | undefined;
  for (const b of builds) {
    if (!b.artifactsFile || !b.artifactsExpireAt || b.artifactsExpireAt <= nowIso) continue;
    const t = Date.parse(b.artifactsExpireAt);
    if (until === undefined || t < until) until = t;
  }
  return until;
}
