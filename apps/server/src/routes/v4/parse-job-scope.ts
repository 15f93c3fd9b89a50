// The `scope` filter of the v4 job lists: current GitLab's `Array[String]` with every status, given as
// `scope=x`, `scope[]=x`, `scope[0]=x` or a repeated `scope=`.

import { BUILD_STATUSES, type BuildStatus } from "@buildsim/core";
import { ApiError } from "../../http/api-error.js";
import type { Params, ParamValue, ParsedQuery } from "../../http/parse-query.js";

/**
 * `CommitStatus::AVAILABLE_STATUSES` of current GitLab: buildsim's statuses plus the ones later versions
 * added. Those are valid filters that no buildsim job ever matches.
 */
export const V4_JOB_SCOPES: readonly string[] = [
  ...BUILD_STATUSES,
  "preparing",
  "waiting_for_callback",
  "canceling",
];

const invalid = () => ApiError.invalidParam("scope does not have a valid value");

/**
 * The statuses to filter on (null for all) and the value the `Link` URLs should carry. A value outside
 * `V4_JOB_SCOPES`, or a shape Grape cannot coerce, is 400 `scope does not have a valid value`.
 */
export function parseJobScope(
  params: Params,
  query: ParsedQuery,
): { statuses: BuildStatus[] | null; normalized: ParamValue | undefined } {
  let raw: ParamValue | undefined = params.scope;
  if (raw === undefined) return { statuses: null, normalized: undefined };
  if (typeof raw === "string") {
    const repeated = query.pairs.filter(([k]) => k === "scope").map(([, v]) => v);
    raw = repeated.length > 1 ? repeated : [raw];
  }
  const values: ParamValue[] = Array.isArray(raw) ? raw : Object.values(raw);
  const statuses: BuildStatus[] = [];
  for (const v of values) {
    if (typeof v !== "string" || !V4_JOB_SCOPES.includes(v)) throw invalid();
    if (!statuses.includes(v as BuildStatus)) statuses.push(v as BuildStatus);
  }
  if (statuses.length === 0) throw invalid();
  return { statuses, normalized: values };
}
