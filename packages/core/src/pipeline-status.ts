// A pipeline's status, computed from its builds (GitLab's composite status), and the pipeline it makes
// (status and timestamps). Computed here; saved by whoever changed a build, in the same transaction.

import type { Build, Pipeline, Timestamp } from "./domain.js";
import { isCompletedStatus, type PipelineStatus } from "./status.js";

/** What a build contributes to a composite status. */
type Contribution = PipelineStatus | "success_with_warnings" | "ignored";

function contributionOf(build: Pick<Build, "status" | "allowFailure">): Contribution {
  if (build.allowFailure) {
    // A failure that was allowed counts as a success; a non-blocking manual job does not hold anything up.
    if (build.status === "failed") return "success_with_warnings";
    if (build.status === "manual" || build.status === "canceled") return "ignored";
  }
  return build.status;
}

/** Only the latest build of each name counts: retried builds are history. */
export function latestBuilds<T extends Pick<Build, "retried">>(builds: readonly T[]): T[] {
  return builds.filter((b) => !b.retried);
}

/**
 * The composite status of a set of builds (already reduced to the latest of each name), as GitLab's
 * `Gitlab::Ci::Status::Composite` (lib/gitlab/ci/status/composite.rb): null for no builds.
 */
export function compositeStatus(
  builds: readonly Pick<Build, "status" | "allowFailure">[],
): PipelineStatus | null {
  if (builds.length === 0) return null;
  const seen = new Set<Contribution>(builds.map(contributionOf));
  const onlyOf = (...allowed: Contribution[]) => [...seen].every((s) => allowed.includes(s));
  const anyOf = (...wanted: Contribution[]) => wanted.some((s) => seen.has(s));

  if (onlyOf("skipped", "ignored")) return "skipped";
  if (onlyOf("success", "skipped", "success_with_warnings", "ignored")) return "success";
  if (onlyOf("created", "success_with_warnings", "ignored")) return "created";
  if (onlyOf("canceled", "success", "skipped", "success_with_warnings", "ignored")) return "canceled";
  if (onlyOf("pending", "created", "skipped", "success_with_warnings", "ignored")) return "pending";
  if (anyOf("running", "pending")) return "running";
  if (anyOf("waiting_for_resource")) return "waiting_for_resource";
  if (anyOf("manual")) return "manual";
  if (anyOf("scheduled")) return "scheduled";
  if (anyOf("created")) return "running";
  return "failed";
}

/** The pipeline's status from all its builds, retried ones included (they are filtered out here). */
export function computePipelineStatus(builds: readonly Build[]): PipelineStatus {
  return compositeStatus(latestBuilds(builds)) ?? "skipped";
}

/**
 * The pipeline after its builds changed at `at`, or null when its status stays (nothing to save). It
 * starts (`started_at`) when it first runs and finishes (`finished_at`, `duration` in seconds) when it
 * completes, as GitLab's `Ci::Pipeline` state machine callbacks set them.
 */
export function nextPipeline(pipeline: Pipeline, builds: readonly Build[], at: Timestamp): Pipeline | null {
  return pipelineWithStatus(pipeline, computePipelineStatus(builds), at);
}

/**
 * {@link nextPipeline} from the composite status already computed (from the distinct status and
 * `allowFailure` pairs of its latest builds, which is all the status depends on).
 */
export function pipelineWithStatus(
  pipeline: Pipeline,
  status: PipelineStatus,
  at: Timestamp,
): Pipeline | null {
  if (status === pipeline.status) return null;
  const startedAt = pipeline.startedAt ?? (status === "running" ? at : null);
  const finishedAt = isCompletedStatus(status) ? at : null;
  return {
    ...pipeline,
    status,
    updatedAt: at,
    startedAt,
    finishedAt,
    duration:
      startedAt && finishedAt ? (Date.parse(finishedAt) - Date.parse(startedAt)) / 1000 : pipeline.duration,
  };
}
