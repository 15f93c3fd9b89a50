// The filters GitLab 17.0's runner lists take (lib/api/ci/runners.rb `filter_params`): `type`, `status`,
// `paused`, `tag_list`, and the deprecated `scope`; a value outside Grape's `values:` is a 400.

import type { Runner, RunnerEntity } from "@buildsim/core";
import { ApiError } from "../../http/api-error.js";
import type { Params } from "../../http/parse-query.js";
import { booleanParam, stringParam } from "./grape-params.js";

const TYPES = ["instance_type", "group_type", "project_type"];
/** `AVAILABLE_STATUSES_INCL_DEPRECATED`. */
const STATUSES = ["active", "paused", "online", "offline", "never_contacted", "stale"];
/** `AVAILABLE_SCOPES`: the legacy types, the types and the statuses. */
const SCOPES = ["specific", "shared", ...TYPES, ...STATUSES];

/** A runner with the entity GitLab renders for it. */
export interface ListedRunner {
  runner: Runner;
  entity: RunnerEntity;
}

function oneOf(params: Params, name: string, allowed: readonly string[]): string | undefined {
  const v = stringParam(params, name);
  if (v !== undefined && !allowed.includes(v))
    throw ApiError.invalidParam(`${name} does not have a valid value`);
  return v;
}

/** Whether `r` is in the named type or status scope (`Ci::Runner`'s scopes of those names). */
function inScope(r: ListedRunner, scope: string): boolean {
  switch (scope) {
    case "specific":
    case "project_type":
      return !r.runner.isShared;
    case "shared":
    case "instance_type":
      return r.runner.isShared;
    case "group_type":
      return false;
    case "active":
      return r.runner.active;
    case "paused":
      return !r.runner.active;
    // buildsim's runners are never stale (no three-month-old contact is kept apart from offline).
    case "stale":
      return false;
    default:
      return r.entity.status === scope;
  }
}

/**
 * The runners the params keep, in order. `scopes` is what the list allows for `scope` (`/runners` takes
 * statuses only: its runners are all the caller's own).
 */
export function filterRunners(
  params: Params,
  runners: readonly ListedRunner[],
  scopes: readonly string[] = SCOPES,
): ListedRunner[] {
  const scope = oneOf(params, "scope", scopes);
  const type = oneOf(params, "type", TYPES);
  const status = oneOf(params, "status", STATUSES);
  const paused = booleanParam(params, "paused");
  const tagList = stringParam(params, "tag_list");
  const tags =
    tagList === undefined
      ? []
      : tagList
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean);
  return runners.filter(
    (r) =>
      (scope === undefined || inScope(r, scope)) &&
      (type === undefined || inScope(r, type)) &&
      (status === undefined || inScope(r, status)) &&
      (paused === undefined || r.runner.active !== paused) &&
      tags.every((t) => r.runner.tagList.includes(t)),
  );
}

/** The statuses alone, for `GET /runners`' `scope`. */
export const RUNNER_STATUS_SCOPES: readonly string[] = STATUSES;
