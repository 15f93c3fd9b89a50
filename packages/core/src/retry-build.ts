// Retry and play as domain operations: what a retried build copies and resets, which later builds re-open,
// and when a failed build retries itself (`retry:` in the CI config).

import { applyBuildEvent } from "./apply-build-event.js";
import type { BuildEvent } from "./build-events.js";
import type { Build, Timestamp } from "./domain.js";
import { latestBuilds } from "./pipeline-status.js";

export interface RetryOptions {
  /** Id of the new build. */
  id: number;
  /** The job token of the new build. */
  token: string;
  /** Who retried it; becomes the new build's user. Null for an automatic retry by the system. */
  userId: number | null;
  at: Timestamp;
}

/**
 * `Ci::Build.retry`: a new build that copies the job's definition (ref, script, stage, when, options…)
 * and nothing of the run (runner, coverage, timestamps, artifacts, trace, erasure), enqueued at once.
 * The caller marks the original `retried` (it stays otherwise untouched) and re-opens later builds.
 */
export function retryBuild(source: Build, options: RetryOptions): Build {
  const fresh: Build = {
    ...source,
    id: options.id,
    token: options.token,
    userId: options.userId,
    status: "created",
    createdAt: options.at,
    queuedAt: null,
    scheduledAt: null,
    startedAt: null,
    finishedAt: null,
    erasedAt: null,
    erasedById: null,
    runnerId: null,
    coverage: null,
    failureReason: null,
    exitCode: null,
    artifactsFile: null,
    artifactsExpireAt: null,
    retried: false,
    trace: { bytes: 0, updatedAt: null },
  };
  return applyBuildEvent(fresh, { type: "enqueue", at: options.at }).build;
}

/**
 * After a retry, later builds of the pipeline that were skipped become processable again
 * (`mark_as_processable_after_stage`): the events to fire, by build id.
 */
export function reopenAfterRetry(
  builds: readonly Build[],
  retried: Pick<Build, "stageIdx" | "name">,
  at: Timestamp,
): Array<{ buildId: number; event: Extract<BuildEvent, { type: "process" }> }> {
  return latestBuilds(builds)
    .filter(
      (b) =>
        b.status === "skipped" &&
        (b.stageIdx > retried.stageIdx || (b.needs?.includes(retried.name) ?? false)),
    )
    .map((b) => ({ buildId: b.id, event: { type: "process", at } as const }));
}

/**
 * `retry:` — whether a build that just failed is retried automatically. `attempts` is how many builds of
 * this name the pipeline already ran (1 for the first failure).
 */
export function shouldAutoRetry(build: Build, attempts: number): boolean {
  if (build.status !== "failed" || build.retryMax <= 0 || attempts > build.retryMax) return false;
  const when = build.retryWhen;
  if (!when || when.length === 0 || when.includes("always")) return true;
  return build.failureReason !== null && when.includes(build.failureReason);
}
