// POST /projects/:id/pipeline?ref=REF (with variables): a pipeline from the project's `.gitlab-ci.yml` as
// of that ref, for projects backed by a local git repository (`buildsim run` registers them).

import { ApiError } from "../../http/api-error.js";
import type { ParamValue } from "../../http/parse-query.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentPipelineV4 } from "../../presenters/present-pipeline-v4.js";
import { createPipelineFromRef, type PipelineFromRefDeps } from "../../services/pipeline-from-ref.js";
import type { AccessDeps } from "../access.js";
import { type PresentV4Deps, presentOptionsV4 } from "./job-reply.js";
import { findProjectV4, requireUpdateJobs, userCallerOf } from "./v4-access.js";

/** `variables: [{key, value, variable_type?}]`, as a JSON array or Rails form params. */
function parseVariables(raw: ParamValue | undefined): Record<string, string> {
  if (raw === undefined) return {};
  const list = Array.isArray(raw) ? raw : typeof raw === "object" ? Object.values(raw) : null;
  if (!list) throw ApiError.invalidParam("variables is invalid");
  const out: Record<string, string> = {};
  for (const item of list) {
    if (typeof item !== "object" || Array.isArray(item)) throw ApiError.invalidParam("variables is invalid");
    const { key, value } = item;
    if (typeof key !== "string" || key === "" || (value !== undefined && typeof value !== "string"))
      throw ApiError.invalidParam("variables is invalid");
    out[key] = value ?? "";
  }
  return out;
}

/** Creates the pipeline; 201 with the Pipeline entity, or 400 `{"message":{"base":[…]}}` as GitLab says why not. */
export function createPipelineRoute(
  ctx: RequestContext,
  app: AccessDeps & PipelineFromRefDeps & PresentV4Deps,
): Reply {
  const caller = userCallerOf(ctx, app);
  const ref = ctx.params.ref;
  if (ref === undefined || ref === "") throw ApiError.invalidParam("ref is missing");
  if (typeof ref !== "string") throw ApiError.invalidParam("ref is invalid");
  const variables = parseVariables(ctx.params.variables);
  const project = findProjectV4(ctx, app, caller);
  const user = requireUpdateJobs(caller, project);

  const result = createPipelineFromRef(app, { project, user, ref, source: "api", variables });
  if (!result.created) throw ApiError.recordInvalid({ base: result.errors });
  return jsonReply(201, presentPipelineV4(result.pipeline, presentOptionsV4(app)));
}
