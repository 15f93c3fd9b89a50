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

/** Creates `claimBuild(runner, at)`: the build now running on `runner`, or null when none matches. */
export function createClaimBuild(store: Store, transitions: BuildTransitions) {
  return function claimBuild(runner: Runner, at: string): Build | null {
    if (!runner.active) return null;
    return store.transaction(() => {
      const id = store.builds.firstPending((candidate) => runnerCanRun(runner, candidate));
      const build = id === undefined ? undefined : store.builds.get(id);
      if (build?.status !== "pending") return null;
      const running = transitions.fire(build, { type: "run", at, runnerId: runner.id });
      return running.status === "running" ? running : null;
    });
  };
}

export type ClaimBuild = ReturnType<typeof createClaimBuild>;
