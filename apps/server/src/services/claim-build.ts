// Hands a runner the oldest pending build it may run, moving it to running in one SQLite transaction
// (GitLab's `Ci::RegisterJobService`): two runners can never get the same build.

import type { Build, Runner } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import type { BuildTransitions } from "./build-transitions.js";

/** GitLab's matching rule: project scope, then tags (all of the build's), then `run_untagged`. */
export function runnerCanRun(runner: Runner, build: Pick<Build, "projectId" | "tagList">): boolean {
  if (!runner.active) return false;
  if (!runner.isShared && !runner.projectIds.includes(build.projectId)) return false;
  if (build.tagList.length === 0) return runner.runUntagged;
  return build.tagList.every((tag) => runner.tagList.includes(tag));
}

/** When a delayed build (`when: delayed`, `start_in`) queued at `queuedAt` may start, as an ISO timestamp. */
export function delayedUntil(queuedAt: string, startInS: number): string {
  return new Date(Date.parse(queuedAt) + startInS * 1000).toISOString();
}

/** Creates `claimBuild(runner, at)`: the build now running on `runner`, or null when none matches. */
export function createClaimBuild(store: Store, transitions: BuildTransitions) {
  // Only the columns the rule needs, read lazily in id order: most runners take the first pending build,
  // and loading whole builds for 10,000 pending rows would dominate.
  const pending = store.db.prepare(
    "SELECT id, project_id, tag_list, queued_at, start_in_s FROM builds WHERE status = 'pending' ORDER BY id",
  );
  const firstMatch = (runner: Runner, at: string): number | undefined => {
    for (const row of pending.iterate() as IterableIterator<{
      id: number;
      project_id: number;
      tag_list: string;
      queued_at: string | null;
      start_in_s: number | null;
    }>) {
      // `when: delayed` waits `start_in` after it was queued before any runner may take it.
      if (row.start_in_s && row.queued_at && delayedUntil(row.queued_at, row.start_in_s) > at) continue;
      const tagList = row.tag_list === "[]" ? [] : (JSON.parse(row.tag_list) as string[]);
      // Leaving the loop closes the statement, so the connection is free for the update.
      if (runnerCanRun(runner, { projectId: row.project_id, tagList })) return row.id;
    }
    return undefined;
  };
  return function claimBuild(runner: Runner, at: string): Build | null {
    if (!runner.active) return null;
    return store.transaction(() => {
      const id = firstMatch(runner, at);
      const build = id === undefined ? undefined : store.builds.get(id);
      if (build?.status !== "pending") return null;
      const running = transitions.fire(build, { type: "run", at, runnerId: runner.id });
      return running.status === "running" ? running : null;
    });
  };
}

export type ClaimBuild = ReturnType<typeof createClaimBuild>;
