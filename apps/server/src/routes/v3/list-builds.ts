// GET /projects/:id/builds and GET /projects/:id/repository/commits/:sha/builds: paginated, newest first,
// answered from a response cache that every write invalidates.

import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import type { Params } from "../../http/parse-query.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { cacheableUntilMs } from "../../presenters/cacheable-until.js";
import { presentBuildV3 } from "../../presenters/present-build-v3.js";
import { currentUser } from "../access.js";
import { createEntityLookup } from "../store-lookup.js";
import { parseScope } from "./parse-scope.js";
import { findProject, requireReadBuild } from "./route-helpers.js";

/** Renders one page of builds with the seven pagination headers. */
function renderPage(
  ctx: RequestContext,
  app: App,
  projectId: number,
  sha: string | undefined,
  parsed: ReturnType<typeof validate>,
): Reply {
  const filter = { projectId, statuses: parsed.statuses, ...(sha === undefined ? {} : { sha }) };
  const total = app.store.builds.count(filter);
  const window = pageWindow(parsed.pageReq, total);
  const builds = window ? app.store.builds.list({ ...filter, ...window }) : [];
  const now = app.now();
  const lookup = createEntityLookup(app.store);
  const webUrl = app.webUrl();
  const body = builds.map((b) =>
    presentBuildV3(b, { profile: app.profile, shape: "build", now, webUrl, lookup }),
  );
  const linkParams: Params = { ...ctx.params, ...ctx.route };
  if (parsed.normalizedScope !== undefined) linkParams.scope = parsed.normalizedScope;
  const reply = jsonReply(200, body, paginationHeaders(parsed.pageReq, total, ctx.baseUrl, linkParams));
  // `artifacts_file` disappears when artifacts expire: the cached page is good until the first expiry.
  const until = cacheableUntilMs(builds, now, { showsDurations: false });
  if (until !== undefined) reply.validUntilMs = until;
  return reply;
}

/** Grape's validation of the list params (400s), before any lookup. */
function validate(ctx: RequestContext, app: App) {
  const { statuses, normalized } = parseScope(ctx.params, ctx.query, app.profile);
  return { statuses, normalizedScope: normalized, pageReq: parsePageRequest(ctx.params) };
}

/**
 * Same Host, same request target, same body → same answer, for anyone allowed to see it (permissions
 * are checked before the cache is consulted).
 */
function cached(ctx: RequestContext, app: App, render: () => Reply): Reply {
  const key = ctx.bodyKey === "" ? ctx.rawUrl : `${ctx.rawUrl}\u0000${ctx.bodyKey}`;
  return app.responseCache.get(ctx.headers.host ?? "", key, render);
}

/** `GET /projects/:id/builds`: no `read_build` check (8.x), anyone who sees the project may list. */
export function listProjectBuilds(ctx: RequestContext, app: App): Reply {
  const user = currentUser(ctx, app);
  const parsed = validate(ctx, app);
  const project = findProject(ctx, app, user);
  return cached(ctx, app, () => renderPage(ctx, app, project.id, undefined, parsed));
}

/** `GET /projects/:id/repository/commits/:sha/builds`: needs `read_build`; 404 for an unknown commit. */
export function listCommitBuilds(ctx: RequestContext, app: App): Reply {
  const user = currentUser(ctx, app);
  const parsed = validate(ctx, app);
  const project = findProject(ctx, app, user);
  requireReadBuild(user, project);
  const sha = ctx.route.sha ?? "";
  const resolves =
    app.store.commits.resolve(project.id, sha) !== undefined ||
    app.store.pipelines.latestForRef(project.id, sha) !== undefined;
  if (!resolves) throw ApiError.of("NOT_FOUND");
  return cached(ctx, app, () => renderPage(ctx, app, project.id, sha, parsed));
}
