// Hands a runner the oldest pending build it may run, moving it to running in one SQLite transaction
// (GitLab's `Ci::RegisterJobService`): two runners can never get the same build.

import type { Build, Runner } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import type { BuildTransitions } from "./build-transitions.js";
import { missingCrossDependencies } from "./cross-dependencies.js";

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
      for (;;) {
        const id = store.builds.firstPending((candidate) => runnerCanRun(runner, candidate));
        const build = id === undefined ? undefined : store.builds.get(id);
        if (build?.status !== "pending") return null;
        // GitLab checks a build's dependencies as a runner picks it: one whose needs:project or
        // needs:pipeline job is missing fails there, and the runner is offered the next build.
        if (build.crossDependencies.length > 0 && missingCrossDependencies(store, build).length > 0) {
          transitions.fire(build, { type: "drop", at, reason: "missing_dependency_failure" });
          continue;
        }
        const running = transitions.fire(build, { type: "run", at, runnerId: runner.id });
        return running.status === "running" ? running : null;
      }
    });
  };
}

export type ClaimBuild = ReturnType<typeof createClaimBuild>;

/** Claims for the runner with id `runnerId` as its row is now (tags or `paused` may have changed). */
export function claimForRunner(
  store: Store,
  claimBuild: ClaimBuild,
  runnerId: number,
  at: string,
): Build | null {
  const runner = store.runners.get(runnerId);
  return runner ? claimBuild(runner, at) : null;
}
