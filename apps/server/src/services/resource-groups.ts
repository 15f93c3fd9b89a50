// GitLab's resource groups (`resource_group:`): at most one build of a project's group holds the resource
// at a time, across pipelines. A build that is pending or running holds it; the others wait in
// `waiting_for_resource` until it is released (the holder completes), then one of them gets it.
// https://docs.gitlab.com/ci/resource_groups/

import type { Build, ResourceGroupProcessMode } from "@buildsim/core";

/**
 * The build that gets the group's resource now, given the group's builds that wait for or hold it: null
 * while one holds it or none waits.
 */
export function nextResourceHolder(
  active: readonly Pick<Build, "id" | "pipelineId" | "status">[],
  mode: ResourceGroupProcessMode,
): number | null {
  if (active.some((b) => b.status === "pending" || b.status === "running")) return null;
  const waiting = active.filter((b) => b.status === "waiting_for_resource");
  if (waiting.length === 0) return null;
  // `unordered` may take any waiting build: buildsim takes the one created first.
  const order =
    mode === "newest_first"
      ? (a: (typeof waiting)[number], b: (typeof waiting)[number]) =>
          b.pipelineId - a.pipelineId || a.id - b.id
      : mode === "oldest_first"
        ? (a: (typeof waiting)[number], b: (typeof waiting)[number]) =>
            a.pipelineId - b.pipelineId || a.id - b.id
        : (a: (typeof waiting)[number], b: (typeof waiting)[number]) => a.id - b.id;
  return [...waiting].sort(order)[0]!.id;
}
