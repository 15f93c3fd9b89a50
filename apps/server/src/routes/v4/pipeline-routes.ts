// GET /projects/:id/pipelines (status, ref, sha, scope, order_by and sort filters; paginated) and
// GET /projects/:id/pipelines/:pipeline_id.

import type { Pipeline, PipelineStatus } from "@buildsim/core";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import type { Params } from "../../http/parse-query.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentPipelineBasicV4 } from "../../presenters/present-entities-v4.js";
import { presentPipelineV4 } from "../../presenters/present-pipeline-v4.js";
import { PIPELINE_ORDERS, type PipelineListQuery, type PipelineOrder } from "../../store/pipeline-queries.js";
import { type AccessDeps, integerRouteParam } from "../access.js";
import { type PresentV4Deps, presentOptionsV4 } from "./job-reply.js";
import { V4_JOB_SCOPES } from "./parse-job-scope.js";
import { callerOf, findProjectV4, requireReadJobs } from "./v4-access.js";

/** What each pipeline `scope` value filters on. */
const SCOPES: Record<string, Partial<PipelineListQuery>> = {
  running: { statuses: ["running"] },
  pending: { statuses: ["pending"] },
  finished: { statuses: ["success", "failed", "canceled", "skipped"] },
  branches: { tag: false },
  tags: { tag: true },
};

/** An optional string param restricted to `values` (Grape `values:`): 400 `<name> does not have a valid value`. */
function choice<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw ApiError.invalidParam(`${name} is invalid`);
  if (!(values as readonly string[]).includes(v))
    throw ApiError.invalidParam(`${name} does not have a valid value`);
  return v as T;
}

/** An optional plain string param. */
function text(params: Params, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw ApiError.invalidParam(`${name} is invalid`);
  return v;
}

/** Grape's validation of the list params (400s), before any lookup; `projectId` is filled in later. */
function listQuery(params: Params): Omit<PipelineListQuery, "projectId"> {
  const scope = choice(params, "scope", Object.keys(SCOPES));
  const status = choice(params, "status", V4_JOB_SCOPES) as PipelineStatus | undefined;
  const orderBy: PipelineOrder = choice(params, "order_by", PIPELINE_ORDERS) ?? "id";
  const sort = choice(params, "sort", ["asc", "desc"] as const) ?? "desc";
  const ref = text(params, "ref");
  const sha = text(params, "sha");
  const fromScope = scope ? SCOPES[scope]! : {};
  let statuses: PipelineStatus[] | null = fromScope.statuses ? [...fromScope.statuses] : null;
  // `scope` and `status` both narrow the list: a status outside the scope matches nothing.
  if (status) statuses = statuses === null || statuses.includes(status) ? [status] : [];
  return {
    statuses,
    ...(ref === undefined ? {} : { ref }),
    ...(sha === undefined ? {} : { sha }),
    ...(fromScope.tag === undefined ? {} : { tag: fromScope.tag }),
    orderBy,
    descending: sort === "desc",
  };
}

/** `GET /projects/:id/pipelines`: PipelineBasic entities, newest first by default. */
export function listProjectPipelines(
  ctx: RequestContext,
  app: AccessDeps & PresentV4Deps & Pick<App, "responseCache">,
): Reply {
  // Pipelines API: `authenticate_non_get!`, so anonymous reads of public projects' public pipelines.
  const caller = callerOf(ctx, app, true);
  const pageReq = parsePageRequest(ctx.params);
  const filters = listQuery(ctx.params);
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  const key = `v4\u0000pipelines${project.id}\u0000${ctx.baseUrl}\u0000${ctx.rawUrl}\u0000${ctx.bodyKey}`;
  return app.responseCache.get(ctx.headers.host ?? "", key, () => {
    const q: PipelineListQuery = { ...filters, projectId: project.id };
    const total = q.statuses?.length === 0 ? 0 : app.store.pipelines.count(q);
    const window = pageWindow(pageReq, total);
    const rows = window ? app.store.pipelines.list(q, window.limit, window.offset) : [];
    const o = presentOptionsV4(app);
    const body = rows.map((p) => presentPipelineBasicV4(p, project.pathWithNamespace, o));
    return jsonReply(
      200,
      body,
      paginationHeaders(pageReq, total, ctx.baseUrl, { ...ctx.params, ...ctx.route }, 1),
    );
  });
}

/** `GET /projects/:id/pipelines/:pipeline_id`: 404 `Not found` for a pipeline of no such id. */
export function getPipeline(ctx: RequestContext, app: AccessDeps & PresentV4Deps): Reply {
  return jsonReply(200, presentPipelineV4(findPipelineV4(ctx, app), presentOptionsV4(app)));
}

/** The pipeline `:pipeline_id` of project `:id`, readable by the caller: 404 otherwise. */
export function findPipelineV4(ctx: RequestContext, app: AccessDeps): Pipeline {
  // Pipelines API: `authenticate_non_get!`, so anonymous reads of public projects' public pipelines.
  const caller = callerOf(ctx, app, true);
  const pipelineId = integerRouteParam(ctx, "pipeline_id");
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  const pipeline = pipelineId > 0 ? app.store.pipelines.get(pipelineId) : undefined;
  if (!pipeline || pipeline.projectId !== project.id) throw ApiError.of("RECORD_NOT_FOUND");
  return pipeline;
}
