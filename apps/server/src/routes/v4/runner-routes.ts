// GET /runners (the caller's project runners), /runners/all (admins: every runner) and
// /runners/:id/jobs (a runner's jobs, `status` filter): what a runners page needs, as GitLab answers it.
// https://docs.gitlab.com/ee/api/runners.html

import { ACCESS_LEVELS, type BuildStatus, type Runner, type User } from "@buildsim/core";
import type { App } from "../../app.js";
import { accessLevelOf } from "../../auth/abilities.js";
import { ApiError } from "../../http/api-error.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentRunnerV4 } from "../../presenters/present-entities-v4.js";
import { type AccessDeps, integerRouteParam } from "../access.js";
import { jobsReply, type PresentV4Deps } from "./job-reply.js";
import { userCallerOf } from "./v4-access.js";

/** The `status` values `GET /runners/:id/jobs` accepts. */
const RUNNER_JOB_STATUSES: readonly BuildStatus[] = ["running", "success", "failed", "canceled"];

/** Runners of projects where `user` is a Maintainer (GitLab's `current_user.ci_owned_runners`). */
function ownedRunners(app: Pick<App, "store">, user: User): Runner[] {
  return app.store.runners.list().filter((runner) =>
    runner.projectIds.some((id) => {
      const project = app.store.projects.get(id);
      return project !== undefined && accessLevelOf(user, project) >= ACCESS_LEVELS.master;
    }),
  );
}

/** The `status` filter of the runner lists (online/offline/never_contacted…); 400 for anything else. */
function statusFilter(ctx: RequestContext): string | undefined {
  const v = ctx.params.status;
  if (v === undefined) return undefined;
  const known = ["online", "offline", "never_contacted", "stale", "active", "paused"];
  if (typeof v !== "string" || !known.includes(v))
    throw ApiError.invalidParam("status does not have a valid value");
  return v;
}

function runnersReply(ctx: RequestContext, app: Pick<App, "now">, runners: readonly Runner[]): Reply {
  const status = statusFilter(ctx);
  const pageReq = parsePageRequest(ctx.params);
  const now = app.now();
  const entities = runners
    .map((r) => presentRunnerV4(r, now))
    .filter((r) => status === undefined || r.status === status || (status === "paused" && r.paused));
  const window = pageWindow(pageReq, entities.length);
  const page = window ? entities.slice(window.offset, window.offset + window.limit) : [];
  return jsonReply(200, page, paginationHeaders(pageReq, entities.length, ctx.baseUrl, { ...ctx.params }, 1));
}

/** `GET /runners`: specific runners of the caller's projects (admins too: `/runners/all` has the rest). */
export function listOwnedRunners(ctx: RequestContext, app: AccessDeps & Pick<App, "now">): Reply {
  const { user } = userCallerOf(ctx, app);
  return runnersReply(ctx, app, ownedRunners(app, user));
}

/** `GET /runners/all`: every runner; administrators only (403 otherwise). */
export function listAllRunners(ctx: RequestContext, app: AccessDeps & Pick<App, "now">): Reply {
  const { user } = userCallerOf(ctx, app);
  if (!user.isAdmin) throw ApiError.of("FORBIDDEN");
  return runnersReply(ctx, app, app.store.runners.list());
}

/**
 * `GET /runners/:id/jobs`: admins, or Maintainers of one of the runner's projects. `Ci::Runner.find` makes a
 * missing runner ActiveRecord's 404 `Not found`; others get 403 `No access granted`.
 */
export function listRunnerJobs(ctx: RequestContext, app: AccessDeps & PresentV4Deps): Reply {
  const { user } = userCallerOf(ctx, app);
  const id = integerRouteParam(ctx, "id");
  const runner = app.store.runners.get(id);
  if (!runner) throw ApiError.of("RECORD_NOT_FOUND");
  if (!user.isAdmin && !ownedRunners(app, user).some((r) => r.id === runner.id))
    throw ApiError.forbidden("No access granted");
  const raw = ctx.params.status ?? "running";
  if (typeof raw !== "string" || !RUNNER_JOB_STATUSES.includes(raw as BuildStatus))
    throw ApiError.invalidParam("status does not have a valid value");
  const builds = app.store.builds.listByRunner(runner.id, raw as BuildStatus);
  const pageReq = parsePageRequest(ctx.params);
  const window = pageWindow(pageReq, builds.length);
  const page = window ? builds.slice(window.offset, window.offset + window.limit) : [];
  return jobsReply(app, page, paginationHeaders(pageReq, builds.length, ctx.baseUrl, { ...ctx.params }, 1));
}
