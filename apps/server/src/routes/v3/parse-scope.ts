// The `scope` filter of the v3 build lists, in every form clients send, validated per profile.

import type { BuildStatus } from "@buildsim/core";
import { ApiError } from "../../http/api-error.js";
import type { Params, ParamValue, ParsedQuery } from "../../http/parse-query.js";
import type { ApiProfile } from "../../profile.js";

/** The statuses v3 `scope` accepts (seed document and GitLab 8.17 agree). */
export const V3_SCOPES: readonly BuildStatus[] = ["pending", "running", "failed", "success", "canceled"];

const invalid = () => ApiError.invalidParam("scope does not have a valid value");

/**
 * The statuses to filter on, or null for all. Accepts `scope=x`, `scope[0]=x` (a hash), and under
 * `docs` also `scope[]=x` and a repeated `scope=`. Anything else, or a value outside `V3_SCOPES`, is
 * 400 `scope does not have a valid value`. Returns the value as the request's params should now carry it.
 */
export function parseScope(
  params: Params,
  query: ParsedQuery,
  profile: ApiProfile,
): { statuses: BuildStatus[] | null; normalized: ParamValue | undefined } {
  let raw: ParamValue | undefined = params.scope;
  if (raw === undefined) return { statuses: null, normalized: undefined };
  if (profile === "docs" && typeof raw === "string") {
    const repeated = query.pairs.filter(([k]) => k === "scope").map(([, v]) => v);
    if (repeated.length > 1) raw = repeated;
  }
  let values: ParamValue[];
  if (typeof raw === "string") values = [raw];
  else if (Array.isArray(raw)) {
    if (profile !== "docs") throw invalid();
    values = raw;
  } else values = Object.values(raw);
  const statuses: BuildStatus[] = [];
  for (const v of values) {
    if (typeof v !== "string" || !(V3_SCOPES as readonly string[]).includes(v)) throw invalid();
    if (!statuses.includes(v as BuildStatus)) statuses.push(v as BuildStatus);
  }
  if (statuses.length === 0) throw invalid();
  return { statuses, normalized: raw };
}
