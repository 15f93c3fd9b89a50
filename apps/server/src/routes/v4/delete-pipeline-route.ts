// DELETE /projects/:id/pipelines/:pipeline_id (lib/api/ci/pipelines.rb, 17.0): `authorize! :destroy_pipeline`
// — the project's Owners and admins (ProjectPolicy's `owner_access`), never with the builds feature off —
// then `destroy_conditionally!` (412 past `If-Unmodified-Since`) and 204.

import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import type { Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { deletePipeline } from "../../services/delete-pipeline.js";
import { type AccessDeps, integerRouteParam } from "../access.js";
import { callerOf, findProjectV4, requireDestroyPipeline } from "./v4-access.js";

/**
 * `check_unmodified_since!`: a parseable `If-Unmodified-Since` older than the resource's `updated_at`
 * is 412 `Precondition Failed`; one that does not parse is ignored.
 */
function checkUnmodifiedSince(ctx: RequestContext, updatedAt: string): void {
  const raw = ctx.headers["if-unmodified-since"];
  const since = typeof raw === "string" ? Date.parse(raw) : Number.NaN;
  // HTTP dates have whole seconds: GitLab compares `updated_at` (to the microsecond) with them.
  if (!Number.isNaN(since) && Date.parse(updatedAt) > since)
    throw ApiError.rendered(412, "412 Precondition Failed");
}

/**
 * 401, 400 `pipeline_id is invalid`, 404 `Project Not Found`, 404 `Not found` pipeline
 * (`user_project.all_pipelines.find`, before the permission check), 403 below Owner, 412, else 204.
 */
export function deletePipelineRoute(
  ctx: RequestContext,
  app: AccessDeps & Pick<App, "transitions" | "events" | "now">,
): Reply {
  const caller = callerOf(ctx, app);
  const pipelineId = integerRouteParam(ctx, "pipeline_id");
  const project = findProjectV4(ctx, app, caller);
  const pipeline = pipelineId > 0 ? app.store.pipelines.get(pipelineId) : undefined;
  if (!pipeline || pipeline.projectId !== project.id) throw ApiError.of("RECORD_NOT_FOUND");
  requireDestroyPipeline(caller, project);
  checkUnmodifiedSince(ctx, pipeline.updatedAt);
  deletePipeline(app, pipeline.id);
  return { status: 204, headers: [], body: Buffer.alloc(0) };
}
