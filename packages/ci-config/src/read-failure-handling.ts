// What a job does about failing: `allow_failure:` (boolean or exit codes) and `retry:` (count and reasons).

import { FAILURE_REASONS } from "@buildsim/core";
import { isHash } from "./deep-merge.js";
import { at, checkKeys, type EntryScope } from "./read-values.js";

/**
 * `retry:when` accepts `always` and every key of GitLab's `Ci::Build.failure_reasons` (the entry's spec
 * checks each one): app/models/concerns/enums/ci/commit_status.rb.
 */
export const RETRY_WHEN: readonly string[] = [
  "always",
  ...FAILURE_REASONS,
  ...[
    "stale_schedule",
    "forward_deployment_failure",
    "user_blocked",
    "project_deleted",
    "ci_quota_exceeded",
    "pipeline_loop_detected",
    "no_matching_runner",
    "trace_size_exceeded",
    "builds_disabled",
    "environment_creation_failure",
    "deployment_rejected",
    "failed_outdated_deployment_job",
    "job_execution_server_timeout",
    "stuck_pending_with_matching_runners",
    "stuck_pending_no_matching_runners",
    "no_updates_running",
    "no_updates_canceling",
    "server_timeout_running",
    "server_timeout_canceling",
    "runner_configuration_error",
    "runner_external_dependency_failure",
    "runner_interrupted",
    "protected_environment_failure",
    "insufficient_bridge_permissions",
    "downstream_bridge_project_not_found",
    "invalid_bridge_trigger",
    "upstream_bridge_project_not_found",
    "insufficient_upstream_permissions",
    "bridge_pipeline_is_child_pipeline",
    "downstream_pipeline_creation_failed",
    "secrets_provider_not_found",
    "reached_max_descendant_pipelines_depth",
    "ip_restriction_failure",
    "reached_max_pipeline_hierarchy_size",
    "reached_downstream_pipeline_trigger_rate_limit",
    "duo_workflow_not_allowed",
    "job_router_failure",
    "job_token_expired",
    "id_token_burned_project_path",
    "downstream_project_trigger_resolved_to_empty",
  ].filter((r) => !(FAILURE_REASONS as readonly string[]).includes(r)),
];

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** Reads `allow_failure:`: a boolean, or `{exit_codes}` meaning only those codes may fail. */
export function readAllowFailure(scope: EntryScope): { allow: boolean | null; codes: number[] } {
  const value = scope.hash.allow_failure;
  const location = `${scope.location}:allow_failure`;
  if (typeof value === "boolean") return { allow: value, codes: [] };
  if (!isHash(value)) {
    scope.problems.add(at(scope, "allow_failure"), `${location} config should be a hash or a boolean value`);
    return { allow: null, codes: [] };
  }
  const inner: EntryScope = {
    location,
    hash: value,
    pos: at(scope, "allow_failure"),
    problems: scope.problems,
  };
  checkKeys(inner, ["exit_codes"]);
  if (value.exit_codes === undefined) return { allow: null, codes: [] };
  const codes = isInt(value.exit_codes) ? [value.exit_codes] : value.exit_codes;
  if (!Array.isArray(codes) || !codes.every(isInt)) {
    scope.problems.add(
      at(inner, "exit_codes"),
      `${location} exit codes should be an array of integers or an integer`,
    );
    return { allow: null, codes: [] };
  }
  // Only the listed exit codes are allowed to fail; any other failure fails the pipeline.
  return { allow: true, codes: codes as number[] };
}

/** Reads `retry:` of a job or of `default:`. */
export function readRetry(scope: EntryScope): { max: number; when: string[] | null } | null {
  const value = scope.hash.retry;
  const location = `${scope.location}:retry`;
  const pos = at(scope, "retry");
  const checkMax = (max: unknown, label: string): number | null => {
    if (!isInt(max)) scope.problems.add(pos, `${location} ${label} must be an integer`);
    else if (max < 0) scope.problems.add(pos, `${location} ${label} must be greater than or equal to 0`);
    else if (max > 2) scope.problems.add(pos, `${location} ${label} must be less than or equal to 2`);
    else return max;
    return null;
  };
  if (isInt(value)) {
    const max = checkMax(value, "config");
    return max === null ? null : { max, when: null };
  }
  if (!isHash(value)) {
    scope.problems.add(pos, `${location} config has to be either an integer or a hash`);
    return null;
  }
  const inner: EntryScope = { location, hash: value, pos, problems: scope.problems };
  checkKeys(inner, ["max", "when", "exit_codes"]);
  const max = value.max === undefined ? 0 : checkMax(value.max, "max");
  let when: string[] | null = null;
  if (value.when !== undefined) {
    const list = typeof value.when === "string" ? [value.when] : value.when;
    if (!Array.isArray(list) || !list.every((w) => typeof w === "string")) {
      scope.problems.add(at(inner, "when"), `${location} when should be an array of strings or a string`);
    } else {
      const unknown = list.filter((w) => !RETRY_WHEN.includes(w));
      if (unknown.length > 0) {
        scope.problems.add(
          at(inner, "when"),
          `${location} when contains unknown values: ${unknown.join(", ")}`,
        );
      } else {
        when = list as string[];
      }
    }
  }
  return max === null ? null : { max, when };
}
