// GitLab's resource groups (`resource_group:`): at most one build of a project's group holds the resource
// at a time, across pipelines. A build that is pending or running holds it; the others wait in
// `waiting_for_resource` until it is released (the holder completes), then one of them gets it.
// https://docs.gitlab.com/ci/resource_groups/

import type { Build, ResourceGroupProcessMode } from "@buildsim/core";

type Waiting = Pick<Build, "id" | "pipelineId" | "status">;

/**
 * The builds waiting for a group's resource, in the order they get it: `oldest_first` and `newest_first`
 * by pipeline; `unordered` may take any, and buildsim takes the one created first.
 */
export function inResourceOrder<T extends Waiting>(
  active: readonly T[],
  mode: ResourceGroupProcessMode,
): T[] {
  const order =
    mode === "newest_first"
      ? (a: T, b: T) => b.pipelineId - a.pipelineId || a.id - b.id
      : mode === "oldest_first"
        ? (a: T, b: T) => a.pipelineId - b.pipelineId || a.id - b.id
        : (a: T, b: T) => a.id - b.id;
  return active.filter((b) => b.status === "waiting_for_resource").sort(order);
}

/**
 * The build that gets the group's resource now, given the group's builds that wait for or hold it: null
 * while one holds it or none waits.
 */
export function nextResourceHolder(
  active: readonly Waiting[],
  mode: ResourceGroupProcessMode,
): number | null {
  if (active.some((b) => b.status === "pending" || b.status === "running")) return null;
  return inResourceOrder(active, mode)[0]?.id ?? null;
}
