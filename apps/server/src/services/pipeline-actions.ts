// The pipeline actions of the v4 API: cancel what is still to run, and retry what failed — each one
// transaction, every status change through the build machine.

import { type BuildStatus, isRetryable, type User } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import type { BuildActions } from "./build-actions.js";
import type { BuildTransitions } from "./build-transitions.js";

/** `Ci::HasStatus::CANCELABLE_STATUSES` (17.0): `cancel_running` leaves manual builds alone. */
const CANCEL_RUNNING: ReadonlySet<BuildStatus> = new Set<BuildStatus>([
  "created",
  "waiting_for_resource",
  "pending",
  "running",
  "scheduled",
]);

export interface PipelineActionsDeps {
  store: Store;
  transitions: BuildTransitions;
  actions: BuildActions;
  now: () => string;
}

/** `pipelineId` and its child pipelines (`source: parent_pipeline`) at any depth, parents first. */
export function withChildPipelines(store: Store, pipelineId: number): number[] {
  const ids = [pipelineId];
  for (let i = 0; i < ids.length; i++)
    for (const child of store.pipelines.listDownstream(ids[i]!))
      if (child.source === "parent_pipeline") ids.push(child.id);
  return ids;
}

/** Cancel and retry a whole pipeline. */
export function createPipelineActions({ store, transitions, actions, now }: PipelineActionsDeps) {
  return {
    /**
     * `Ci::CancelPipelineService` (`cascade_to_children: true`): every build still to run or running is
     * canceled, in the pipeline and its child pipelines at any depth; multi-project downstream pipelines
     * are left alone (https://gitlab.com/gitlab-org/gitlab/-/issues/390453).
     */
    cancel(pipelineId: number): void {
      store.transaction(() => {
        const at = now();
        for (const id of withChildPipelines(store, pipelineId))
          for (const build of store.builds.listByPipeline(id))
            if (!build.retried && CANCEL_RUNNING.has(build.status))
              transitions.fire(store.builds.get(build.id) ?? build, { type: "cancel", at });
      });
    },
    /**
     * `Ci::Pipeline#retry_failed`: a new build for each latest failed or canceled build that can be
     * retried; then `reset_source_bridge!`, as Ci::RetryPipelineService does whatever was retried.
     */
    retryFailed(pipelineId: number, user: User): void {
      store.transaction(() => {
        for (const build of store.builds.listByPipeline(pipelineId))
          if (
            !build.retried &&
            (build.status === "failed" || build.status === "canceled") &&
            isRetryable(build)
          )
            // Only retryable builds get here, so the retry is never refused.
            actions.retry(build.id, user);
        transitions.reopenSourceBridges(pipelineId, now());
      });
    },
  };
}
