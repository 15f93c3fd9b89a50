// GET /projects/:id/jobs (newest first) and GET /projects/:id/pipelines/:pipeline_id/jobs (oldest first,
// retried jobs only with `include_retried`), paginated with a `Link` that keeps every filter.

import type { Build } from "@buildsim/core";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import type { PageScope } from "../../http/page-cache.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import type { Params, ParamValue } from "../../http/parse-query.js";
import { JSON_TYPE, jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentBridgeV4 } from "../../presenters/present-bridge-v4.js";
import { type AccessDeps, integerRouteParam } from "../access.js";
import { EntityRenderer, type EntityRendererDeps } from "../cached-entities.js";
import { sharedEntityLookupV4 } from "../store-lookup.js";
import { jobsReply, type PresentV4Deps, presentOptionsV4 } from "./job-reply.js";
import { parseJobScope } from "./parse-job-scope.js";
import { callerOf, findProjectV4, requireReadJobs } from "./v4-access.js";

/** What the job lists need of the wiring: access, rendering (cached or not), and the caches. */
type JobListDeps = AccessDeps & PresentV4Deps & EntityRendererDeps & Pick<App, "readCache" | "responseCache">;

/** Grape `Boolean` coercion of an optional param: 400 `<name> is invalid` for anything else. */
export function booleanParam(params: Params, name: string): boolean | undefined {
  const v: ParamValue | undefined = params[name];
  if (v === undefined) return undefined;
  if (typeof v === "string") {
    if (/^(true|t|1|yes|y|on)$/i.test(v.trim())) return true;
    if (/^(false|f|0|no|n|off)$/i.test(v.trim())) return false;
  }
  throw ApiError.invalidParam(`${name} is invalid`);
}

/** The params every `Link` URL carries: the request's (route params included) with `scope` normalized. */
function linkParams(ctx: RequestContext, scope: ParamValue | undefined): Params {
  const out: Params = { ...ctx.params, ...ctx.route };
  if (scope !== undefined) out.scope = scope;
  return out;
}

/** Page-cache key: same Host, URL and body → same answer for anyone who passed the checks. */
const cacheKey = (ctx: RequestContext) => `${ctx.headers.host ?? ""}\u0000${ctx.rawUrl}\u0000${ctx.bodyKey}`;

/** The page's reply: through the read cache (ids and headers from `list`), or rendered from rows. */
function jobsPage(
  ctx: RequestContext,
  app: JobListDeps,
  scope: PageScope,
  list: () => { builds: () => Build[]; ids: () => number[]; headers: string[] },
): Reply {
  const cache = app.readCache;
  if (!cache) {
    const page = list();
    return jobsReply(app, page.builds(), page.headers);
  }
  const r = new EntityRenderer(app, cache);
  return r.page(
    cache.v4Pages,
    cache.v4,
    cacheKey(ctx),
    scope,
    () => {
      const page = list();
      return { ids: page.ids(), headers: ["Content-Type", JSON_TYPE, ...page.headers] };
    },
    (id) => r.v4(id),
  );
}

/** `GET /projects/:id/jobs`: needs `read_build` (current GitLab); every status, `manual` included. */
export function listProjectJobs(ctx: RequestContext, app: JobListDeps): Reply {
  const caller = callerOf(ctx, app);
  const scope = parseJobScope(ctx.params, ctx.query);
  const pageReq = parsePageRequest(ctx.params);
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  const filter = { projectId: project.id, statuses: scope.statuses };
  return jobsPage(ctx, app, { kind: "project", ...filter }, () => {
    // Through the read cache, the list's kept window says which builds it holds.
    const listed = app.readCache?.windows.list(filter);
    const total = listed ? listed.total : app.store.builds.count(filter);
    const window = pageWindow(pageReq, total);
    return {
      builds: () => (window ? app.store.builds.list({ ...filter, ...window }) : []),
      ids: () => (window && listed ? listed.ids(window.offset, window.limit) : []),
      headers: paginationHeaders(pageReq, total, ctx.baseUrl, linkParams(ctx, scope.normalized), 1),
    };
  });
}

/** The pipeline of a pipeline listing (`:pipeline_id` of the project), after the access checks. */
function pipelineOf(ctx: RequestContext, app: AccessDeps) {
  // Served by GitLab's Pipelines API (`authenticate_non_get!`): anonymous may read public jobs.
  const caller = callerOf(ctx, app, true);
  const pipelineId = integerRouteParam(ctx, "pipeline_id");
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  // Through the shared lookup: the row is read again only once a write changed it (a dashboard polls
  // the same pipelines' job lists, whose pages are cached; this read was most of what was left of them).
  const pipeline = pipelineId > 0 ? sharedEntityLookupV4(app.store).pipeline(pipelineId) : undefined;
  if (!pipeline || pipeline.projectId !== project.id) throw ApiError.of("RECORD_NOT_FOUND");
  return { project, pipeline };
}

/**
 * `GET /projects/:id/pipelines/:pipeline_id/jobs`: the pipeline's jobs, oldest first; 404 `Not found` for a
 * pipeline of no such id. Trigger jobs are not listed (GitLab's `pipeline.builds`; they have `/bridges`).
 */
export function listPipelineJobs(ctx: RequestContext, app: JobListDeps): Reply {
  const scope = parseJobScope(ctx.params, ctx.query);
  const includeRetried = booleanParam(ctx.params, "include_retried") ?? false;
  const pageReq = parsePageRequest(ctx.params);
  const { pipeline } = pipelineOf(ctx, app);
  const statuses = scope.statuses;
  const keep = (b: { status: Build["status"]; retried: boolean }) =>
    (includeRetried || !b.retried) && (!statuses || statuses.includes(b.status));
  return jobsPage(ctx, app, { kind: "pipeline", pipelineId: pipeline.id }, () => {
    // The uncached path filters the rows; the cached one the same filter on id, status and `retried`.
    const rows = app.readCache
      ? []
      : app.store.builds
          .listByPipeline(pipeline.id)
          .filter((b) => b.trigger === null && b.external === null && keep(b));
    const members = app.readCache ? app.store.builds.pipelineMembers(pipeline.id).filter(keep) : rows;
    const window = pageWindow(pageReq, members.length);
    const slice = <T>(xs: T[]) => (window ? xs.slice(window.offset, window.offset + window.limit) : []);
    return {
      builds: () => slice(rows),
      ids: () => slice(members).map((m) => m.id),
      headers: paginationHeaders(pageReq, members.length, ctx.baseUrl, linkParams(ctx, scope.normalized), 1),
    };
  });
}

/**
 * `GET /projects/:id/pipelines/:pipeline_id/bridges`: the pipeline's trigger jobs (`pipeline.bridges`,
 * retried ones too), oldest first, filtered by `scope`, each with its `downstream_pipeline`.
 * https://docs.gitlab.com/api/jobs/#list-pipeline-trigger-jobs
 */
export function listPipelineBridges(ctx: RequestContext, app: JobListDeps): Reply {
  const scope = parseJobScope(ctx.params, ctx.query);
  const pageReq = parsePageRequest(ctx.params);
  const { project, pipeline } = pipelineOf(ctx, app);
  const key = `v4\u0000br${project.id}\u0000${ctx.baseUrl}\u0000${ctx.rawUrl}\u0000${ctx.bodyKey}`;
  return app.responseCache.get(ctx.headers.host ?? "", key, () => {
    const statuses = scope.statuses;
    const matching = app.store.builds
      .listByPipeline(pipeline.id)
      .filter((b: Build) => b.trigger !== null && (!statuses || statuses.includes(b.status)));
    const window = pageWindow(pageReq, matching.length);
    const page = window ? matching.slice(window.offset, window.offset + window.limit) : [];
    const o = presentOptionsV4(app);
    return jsonReply(
      200,
      page.map((b) => presentBridgeV4(b, app.store.pipelines.downstreamOf(b.id), o)),
      paginationHeaders(pageReq, matching.length, ctx.baseUrl, linkParams(ctx, scope.normalized), 1),
    );
  });
}
