// Build statuses under GitLab's own names, the groups GitLab's code uses, and the failure reasons.

import { LiteralUnion } from "./schema-helpers.js";

/**
 * Every status a build can have: GitLab 9.x's `AVAILABLE_STATUSES` with `manual`, plus `scheduled` (a
 * `when: delayed` job counting down) and `waiting_for_resource` (a `resource_group` job whose group is busy).
 */
export const BUILD_STATUSES = [
  "created",
  "waiting_for_resource",
  "pending",
  "running",
  "success",
  "failed",
  "canceled",
  "skipped",
  "manual",
  "scheduled",
] as const;

export type BuildStatus = (typeof BUILD_STATUSES)[number];
/** {@link BuildStatus} as a schema (wire messages, REST entities). */
export const BuildStatusSchema = LiteralUnion(BUILD_STATUSES, {
  description: "A build status, GitLab's names",
});

/** Pipeline statuses are build statuses (GitLab derives one from the other). */
export type PipelineStatus = BuildStatus;

/** `ACTIVE_STATUSES`: a runner owns or is about to own the build. */
export const ACTIVE_STATUSES: readonly BuildStatus[] = ["pending", "running"];
/** `COMPLETED_STATUSES`: the build will not change again except through retry or play. */
export const COMPLETED_STATUSES: readonly BuildStatus[] = ["success", "failed", "canceled", "skipped"];
/** The `cancelable` scope: statuses the `cancel` event accepts. */
export const CANCELABLE_STATUSES: readonly BuildStatus[] = [
  "created",
  "waiting_for_resource",
  "pending",
  "running",
  "manual",
  "scheduled",
];
/** The `finished` scope: statuses that carry a `finished_at`. */
export const FINISHED_STATUSES: readonly BuildStatus[] = ["success", "failed", "canceled"];

export const isBuildStatus = (value: unknown): value is BuildStatus =>
  typeof value === "string" && (BUILD_STATUSES as readonly string[]).includes(value);
export const isActiveStatus = (status: BuildStatus): boolean => ACTIVE_STATUSES.includes(status);
export const isCompletedStatus = (status: BuildStatus): boolean => COMPLETED_STATUSES.includes(status);
export const isFinishedStatus = (status: BuildStatus): boolean => FINISHED_STATUSES.includes(status);
export const isCancelableStatus = (status: BuildStatus): boolean => CANCELABLE_STATUSES.includes(status);

/** `CommitStatus.failure_reasons`: why a build ended `failed`. */
export const FAILURE_REASONS = [
  "unknown_failure",
  "script_failure",
  "api_failure",
  "stuck_or_timeout_failure",
  "runner_system_failure",
  "missing_dependency_failure",
  "runner_unsupported",
  "job_execution_timeout",
  "archived_failure",
  "unmet_prerequisites",
  "scheduler_failure",
  "data_integrity_failure",
  // A trigger job (bridge) whose downstream pipeline could not be created (Enums::Ci::CommitStatus).
  "insufficient_bridge_permissions",
  "downstream_bridge_project_not_found",
  "invalid_bridge_trigger",
  "downstream_pipeline_creation_failed",
  "reached_max_descendant_pipelines_depth",
  "reached_max_pipeline_hierarchy_size",
  "pipeline_loop_detected",
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];
/** {@link FailureReason} as a schema. */
export const FailureReasonSchema = LiteralUnion(FAILURE_REASONS, { description: "GitLab's failure reasons" });

export const isFailureReason = (value: unknown): value is FailureReason =>
  typeof value === "string" && (FAILURE_REASONS as readonly string[]).includes(value);

/** `when:` of a job: when it runs relative to the outcome of earlier stages (or its `needs`). */
export const BUILD_WHEN = ["on_success", "on_failure", "always", "manual", "delayed", "never"] as const;
export type BuildWhen = (typeof BUILD_WHEN)[number];
