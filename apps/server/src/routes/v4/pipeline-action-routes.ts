// POST /projects/:id/pipelines/:pipeline_id/cancel (200) and …/retry (201), answered with the pipeline
// (lib/api/ci/pipelines.rb, 17.0: `authorize! :cancel_pipeline` / `:update_pipeline`, Developer+; both
// taken away by `Ci::PipelinePolicy`'s `protected_ref` when the caller may not update the branch).

import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentPipelineV4 } from "../../presenters/present-pipeline-v4.js";
import { createPipelineActions } from "../../services/pipeline-actions.js";
import { type AccessDeps, integerRouteParam, requireRefAccess } from "../access.js";
import { type PresentV4Deps, presentOptionsV4 } from "./job-reply.js";
import { callerOf, findProjectV4, requireUpdateJobs } from "./v4-access.js";

/** What the pipeline actions need of the wiring: access, the build services, and rendering the pipeline. */
type PipelineActionDeps = AccessDeps & PresentV4Deps & Pick<App, "transitions" | "actions">;

/**
 * 401, 400 `pipeline_id is invalid`, 404 project, 403 below Developer, 404 `Not found` pipeline, 403 on a
 * branch protected against the caller.
 */
function pipelineTarget(ctx: RequestContext, app: PipelineActionDeps) {
  const caller = callerOf(ctx, app);
  const pipelineId = integerRouteParam(ctx, "pipeline_id");
  const project = findProjectV4(ctx, app, caller);
  const user = requireUpdateJobs(caller, project);
  const pipeline = pipelineId > 0 ? app.store.pipelines.get(pipelineId) : undefined;
  if (!pipeline || pipeline.projectId !== project.id) throw ApiError.of("RECORD_NOT_FOUND");
  requireRefAccess(app, user, project, "update_pipeline", pipeline);
  const actions = createPipelineActions({
    store: app.store,
    transitions: app.transitions,
    actions: app.actions,
    now: app.now,
  });
  return { user, pipeline, actions };
}

const answer = (app: PresentV4Deps, status: number, pipelineId: number): Reply =>
  jsonReply(status, presentPipelineV4(app.store.pipelines.get(pipelineId)!, presentOptionsV4(app)));

/** `POST …/pipelines/:pipeline_id/cancel`: 200 with the pipeline (also when nothing was left to cancel). */
export function cancelPipeline(ctx: RequestContext, app: PipelineActionDeps): Reply {
  const { pipeline, actions } = pipelineTarget(ctx, app);
  actions.cancel(pipeline.id);
  return answer(app, 200, pipeline.id);
}

/** `POST …/pipelines/:pipeline_id/retry`: 201 with the pipeline, its failed and canceled jobs retried. */
export function retryPipeline(ctx: RequestContext, app: PipelineActionDeps): Reply {
  const { user, pipeline, actions } = pipelineTarget(ctx, app);
  actions.retryFailed(pipeline.id, user);
  return answer(app, 201, pipeline.id);
}
