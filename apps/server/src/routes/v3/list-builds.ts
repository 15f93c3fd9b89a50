// GET /projects/:id/builds and GET /projects/:id/repository/commits/:sha/builds: paginated, newest first,
// answered from the read cache (uncached: rendered on every read, the cache's oracle).

import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import type { Params } from "../../http/parse-query.js";
import { JSON_TYPE, jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentBuildV3 } from "../../presenters/present-build-v3.js";
import { type AccessDeps, currentUser } from "../access.js";
import { EntityRenderer, type EntityRendererDeps } from "../cached-entities.js";
import { createEntityLookup } from "../store-lookup.js";
import type { PresentV3Deps } from "./build-routes.js";
import { parseScope } from "./parse-scope.js";
import { findProject, requireReadBuild } from "./route-helpers.js";

/** What the build lists need of the wiring: access, rendering (cached or not), and the read cache. */
type BuildListDeps = AccessDeps & PresentV3Deps & EntityRendererDeps & Pick<App, "readCache">;

/** The seven pagination headers of a page of `total` builds (the Link keeps every param). */
function pageHeaders(ctx: RequestContext, parsed: ReturnType<typeof validate>, total: number): string[] {
  const linkParams: Params = { ...ctx.params, ...ctx.route };
  if (parsed.normalizedScope !== undefined) linkParams.scope = parsed.normalizedScope;
  return paginationHeaders(parsed.pageReq, total, ctx.baseUrl, linkParams);
}

/** Renders one page of builds from their rows, uncached. */
function renderPage(
  ctx: RequestContext,
  app: BuildListDeps,
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
  return jsonReply(200, body, pageHeaders(ctx, parsed, total));
}

/** Grape's validation of the list params (400s), before any lookup. */
function validate(ctx: RequestContext, app: Pick<App, "profile">) {
  const { statuses, normalized } = parseScope(ctx.params, ctx.query, app.profile);
  return { statuses, normalizedScope: normalized, pageReq: parsePageRequest(ctx.params) };
}

/**
 * The page through the read cache: which builds it lists is kept until a write changes the project's
 * builds of a listed status; the entities come from the entity cache.
 */
function cachedPage(
  ctx: RequestContext,
  app: BuildListDeps,
  projectId: number,
  sha: string | undefined,
  parsed: ReturnType<typeof validate>,
): Reply {
  const cache = app.readCache;
  if (!cache) return renderPage(ctx, app, projectId, sha, parsed);
  const r = new EntityRenderer(app, cache);
  const key = `${ctx.headers.host ?? ""}\u0000${ctx.rawUrl}\u0000${ctx.bodyKey}`;
  const scope = { kind: "project", projectId, statuses: parsed.statuses } as const;
  return r.page(
    cache.v3Pages,
    cache.v3,
    key,
    scope,
    () => listPage(ctx, app, projectId, sha, parsed),
    (id) => r.v3(id),
  );
}

/** The ids of the page and its headers. */
function listPage(
  ctx: RequestContext,
  app: BuildListDeps,
  projectId: number,
  sha: string | undefined,
  parsed: ReturnType<typeof validate>,
): { ids: number[]; headers: string[] } {
  const filter = { projectId, statuses: parsed.statuses, ...(sha === undefined ? {} : { sha }) };
  // A project's lists from their kept windows; a commit's queried.
  const listed =
    sha === undefined && app.readCache
      ? app.readCache.windows.list(filter)
      : {
          total: app.store.builds.count(filter),
          ids: (offset: number, limit: number) => app.store.builds.listIds({ ...filter, offset, limit }),
        };
  const window = pageWindow(parsed.pageReq, listed.total);
  const ids = window ? listed.ids(window.offset, window.limit) : [];
  return { ids, headers: ["Content-Type", JSON_TYPE, ...pageHeaders(ctx, parsed, listed.total)] };
}

/** `GET /projects/:id/builds`: no `read_build` check (8.x), anyone who sees the project may list. */
export function listProjectBuilds(ctx: RequestContext, app: BuildListDeps): Reply {
  const user = currentUser(ctx, app);
  const parsed = validate(ctx, app);
  const project = findProject(ctx, app, user);
  return cachedPage(ctx, app, project.id, undefined, parsed);
}

/** `GET /projects/:id/repository/commits/:sha/builds`: needs `read_build`; 404 for an unknown commit. */
export function listCommitBuilds(ctx: RequestContext, app: BuildListDeps): Reply {
  const user = currentUser(ctx, app);
  const parsed = validate(ctx, app);
  const project = findProject(ctx, app, user);
  requireReadBuild(user, project);
  const sha = ctx.route.sha ?? "";
  const resolves =
    app.store.commits.resolve(project.id, sha) !== undefined ||
    app.store.pipelines.latestForRef(project.id, sha) !== undefined;
  if (!resolves) throw ApiError.of("NOT_FOUND");
  return cachedPage(ctx, app, project.id, sha, parsed);
}
