// GET /projects/:id/pipelines/latest (newest pipeline of a ref) and GET …/pipelines/:pipeline_id/variables
// (what it was created with), as GitLab 17.0's lib/api/ci/pipelines.rb answers them.

import { ApiError } from "../../http/api-error.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentPipelineV4 } from "../../presenters/present-pipeline-v4.js";
import { type AccessDeps, integerRouteParam, requireRefAccess } from "../access.js";
import { stringParam } from "./grape-params.js";
import { type PresentV4Deps, presentOptionsV4 } from "./job-reply.js";
import { callerOf, findProjectV4, requireReadJobs, requireUpdateJobs } from "./v4-access.js";

/**
 * `GET /projects/:id/pipelines/latest?ref=`: the newest pipeline of `ref` (the default branch when left
 * out). With none, 17.0's `authorize! :read_pipeline, latest_pipeline` meets a nil pipeline: 403.
 */
export function getLatestPipeline(ctx: RequestContext, app: AccessDeps & PresentV4Deps): Reply {
  const ref = stringParam(ctx.params, "ref");
  // Pipelines API: `authenticate_non_get!`, so anonymous reads of public projects' public pipelines.
  const caller = callerOf(ctx, app, true);
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  const pipeline = app.store.pipelines.latestForRef(project.id, ref || project.defaultBranch);
  if (!pipeline) throw ApiError.of("FORBIDDEN");
  return jsonReply(200, presentPipelineV4(pipeline, presentOptionsV4(app)));
}

/**
 * `GET /projects/:id/pipelines/:pipeline_id/variables`: `read_pipeline_variable`, which Maintainers have
 * (`admin_pipeline`) and Developers only on a pipeline they started on a branch they may update.
 */
export function getPipelineVariables(ctx: RequestContext, app: AccessDeps): Reply {
  const caller = callerOf(ctx, app, true);
  const pipelineId = integerRouteParam(ctx, "pipeline_id");
  const project = findProjectV4(ctx, app, caller);
  const pipeline = pipelineId > 0 ? app.store.pipelines.get(pipelineId) : undefined;
  if (!pipeline || pipeline.projectId !== project.id) throw ApiError.of("RECORD_NOT_FOUND");
  const user = requireUpdateJobs(caller, project);
  requireRefAccess(app, user, project, "read_pipeline_variables", pipeline);
  const variables = app.store.pipelineVariables.list(pipeline.id);
  return jsonReply(
    200,
    variables.map((v) => ({ key: v.key, variable_type: v.variableType, value: v.value })),
  );
}
