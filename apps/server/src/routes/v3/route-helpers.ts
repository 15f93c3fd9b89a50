// The checks every v3 builds endpoint runs, in GitLab's order: 401 → 400 → 404 project → 403 → 404 build.

import type { Build, Project, User } from "@buildsim/core";
import type { App } from "../../app.js";
import { canReadBuild, canReadProject, canUpdateBuild } from "../../auth/abilities.js";
import { authenticate, isOAuthToken, sudoOf, tokenOf } from "../../auth/authenticate.js";
import { ApiError } from "../../http/api-error.js";
import type { RequestContext } from "../../http/request-context.js";

/** `authenticate!` + sudo, memoized per token until the next write. */
export function currentUser(ctx: RequestContext, app: App): User {
  const input = { params: ctx.params, headers: ctx.headers };
  const token = tokenOf(input) ?? "";
  const sudo = sudoOf(input);
  // No sudo (the usual case): the token itself is the key, no string to build. With sudo, the answer
  // also depends on how the token came and on the API's version.
  const api = ctx.path.startsWith("/api/v4/") ? "v4" : "v3";
  const key =
    sudo === undefined ? token : `${token}\u0000sudo\u0000${sudo}\u0000${api}\u0000${isOAuthToken(input)}`;
  const outcome = app.authMemo.get(key, () => {
    try {
      return authenticate(app.store, input, api);
    } catch (e) {
      if (e instanceof ApiError) return e;
      throw e;
    }
  });
  if (outcome instanceof ApiError) throw outcome;
  return outcome;
}

const INTEGER = /^\s*[+-]?\d+\s*$/;

/** A Grape `Integer` route param (`build_id`): 400 `<name> is invalid` when not an integer. */
export function integerRouteParam(ctx: RequestContext, name: string): number {
  const raw = ctx.route[name] ?? "";
  if (!INTEGER.test(raw)) throw ApiError.invalidParam(`${name} is invalid`);
  const n = Number(raw.trim());
  // Integers beyond what ids can be still parse; they simply match no record.
  return Number.isSafeInteger(n) ? n : -1;
}

/** The route's `:id` project, by id or `namespace/project` (memoized until the next write); v3 and v4. */
export function lookupProject(ctx: RequestContext, app: App): Project | undefined {
  const id = ctx.route.id ?? "";
  return app.projectMemo.get(id, () => {
    if (/^\d+$/.test(id)) {
      const n = Number(id);
      return Number.isSafeInteger(n) ? app.store.projects.get(n) : undefined;
    }
    return app.store.projects.getByPath(id);
  });
}

/** `user_project`: the project by id or `namespace/project`, or 404 when missing or not visible. */
export function findProject(ctx: RequestContext, app: App, user: User): Project {
  const project = lookupProject(ctx, app);
  if (!project || !canReadProject(user, project)) throw ApiError.of("PROJECT_NOT_FOUND");
  return project;
}

/** `authorize_read_builds!`. */
export function requireReadBuild(user: User, project: Project): void {
  if (!canReadBuild(user, project)) throw ApiError.of("FORBIDDEN");
}

/** `authorize_update_builds!`. */
export function requireUpdateBuild(user: User, project: Project): void {
  if (!canUpdateBuild(user, project)) throw ApiError.of("FORBIDDEN");
}

/** `get_build!`: the build of this project, or 404 `Not Found` (v3 knows no trigger jobs). */
export function findBuild(app: App, project: Project, buildId: number): Build {
  const build = buildId > 0 ? app.store.builds.get(buildId) : undefined;
  if (!build || build.projectId !== project.id || build.trigger !== null) throw ApiError.of("NOT_FOUND");
  return build;
}
