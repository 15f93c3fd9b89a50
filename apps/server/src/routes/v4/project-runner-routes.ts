// `GET /projects/:id/runners` (the project's own runners and the instance's shared ones) and
// `DELETE /runners/:id`, with GitLab 17.0's permissions and errors (lib/api/ci/runners.rb;
// https://docs.gitlab.com/17.0/ee/api/runners.html).

import type { Runner, User } from "@buildsim/core";
import type { App } from "../../app.js";
import { canAdminProject } from "../../auth/abilities.js";
import { ApiError } from "../../http/api-error.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentRunnerV4 } from "../../presenters/present-entities-v4.js";
import { deleteRunner } from "../../services/delete-runner.js";
import { type AccessDeps, integerRouteParam } from "../access.js";
import { filterRunners } from "./runner-list-filter.js";
import { findProjectV4, requireAdminProject, userCallerOf } from "./v4-access.js";

/** `GET /projects/:id/runners`: Maintainers (`read_project_runners`); `Ci::Runner.owned_or_instance_wide`. */
export function listProjectRunners(ctx: RequestContext, app: AccessDeps & Pick<App, "now">): Reply {
  const caller = userCallerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  requireAdminProject(caller, project);
  const pageReq = parsePageRequest(ctx.params);
  const now = app.now();
  const listed = app.store.runners
    .list()
    .filter((r) => r.isShared || r.projectIds.includes(project.id))
    .map((runner) => ({ runner, entity: presentRunnerV4(runner, now) }));
  const kept = filterRunners(ctx.params, listed);
  const window = pageWindow(pageReq, kept.length);
  const page = window ? kept.slice(window.offset, window.offset + window.limit) : [];
  return jsonReply(
    200,
    page.map((r) => r.entity),
    paginationHeaders(pageReq, kept.length, ctx.baseUrl, { ...ctx.params, ...ctx.route }, 1),
  );
}

/**
 * `authenticate_delete_runner!`: admins always; otherwise a runner of several projects is refused first,
 * then anyone who is not a Maintainer of its one project (a shared runner has none).
 */
function requireDeleteRunner(app: Pick<App, "store">, user: User, runner: Runner): void {
  if (user.isAdmin) return;
  if (runner.projectIds.length > 1) throw ApiError.forbidden("Runner associated with more than one project");
  const project = runner.isShared ? undefined : app.store.projects.get(runner.projectIds[0] ?? 0);
  if (!project || !canAdminProject(user, project)) throw ApiError.forbidden("No access granted");
}

/** `DELETE /runners/:id`: 204; `Ci::Runner.find` makes a missing runner ActiveRecord's 404 `Not found`. */
export function deleteRunnerRoute(ctx: RequestContext, app: AccessDeps & Pick<App, "events">): Reply {
  const { user } = userCallerOf(ctx, app);
  const runner = app.store.runners.get(integerRouteParam(ctx, "id"));
  if (!runner) throw ApiError.of("RECORD_NOT_FOUND");
  requireDeleteRunner(app, user, runner);
  deleteRunner(app, runner.id);
  return { status: 204, headers: [], body: Buffer.alloc(0) };
}
