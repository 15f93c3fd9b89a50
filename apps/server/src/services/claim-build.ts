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

/** Rows scanned per query while looking for a match; most runners take the first pending build. */
const PAGE_ROWS = 64;

/** Creates `claimBuild(runner, at)`: the build now running on `runner`, or null when none matches. */
export function createClaimBuild(store: Store, transitions: BuildTransitions) {
  // Only the columns the rule needs: loading whole builds for 10,000 pending rows would dominate.
  const page = store.db.prepare(
    "SELECT id, project_id, tag_list FROM builds WHERE status = 'pending' AND id > ? ORDER BY id LIMIT ?",
  );
  return function claimBuild(runner: Runner, at: string): Build | null {
    return store.transaction(() => {
      let after = 0;
      for (;;) {
        const rows = page.all(after, PAGE_ROWS) as { id: number; project_id: number; tag_list: string }[];
        for (const row of rows) {
          const candidate = { projectId: row.project_id, tagList: JSON.parse(row.tag_list) as string[] };
          if (!runnerCanRun(runner, candidate)) continue;
          const build = store.builds.get(row.id);
          if (build?.status !== "pending") continue;
          const running = transitions.fire(build, { type: "run", at, runnerId: runner.id });
          if (running.status === "running") return running;
        }
        if (rows.length < PAGE_ROWS) return null;
        after = rows[rows.length - 1]!.id;
      }
    });
  };
}

export type ClaimBuild = ReturnType<typeof createClaimBuild>;
