// GET /projects/:id/environments (name, search, states filters; paginated), GET …/environments/:id and
// POST …/environments/:id/stop, as GitLab's Environments API.
// https://docs.gitlab.com/api/environments/

import type { Environment } from "@buildsim/core";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentEnvironmentDetailV4, presentEnvironmentV4 } from "../../presenters/present-environment-v4.js";
import { type StopEnvironmentDeps, stopEnvironment } from "../../services/stop-environment.js";
import { type AccessDeps, integerRouteParam } from "../access.js";
import { type PresentV4Deps, presentOptionsV4 } from "./job-reply.js";
import { callerOf, findProjectV4, requireReadJobs, requireUpdateJobs } from "./v4-access.js";

const STATES: readonly Environment["state"][] = ["available", "stopping", "stopped"];

const optionalText = (ctx: RequestContext, name: string): string | undefined => {
  const v = ctx.params[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw ApiError.invalidParam(`${name} is invalid`);
  return v;
};

/** `GET /projects/:id/environments`: environments by id; `name` and `search` are mutually exclusive. */
export function listEnvironments(ctx: RequestContext, app: AccessDeps): Reply {
  const caller = callerOf(ctx, app);
  const pageReq = parsePageRequest(ctx.params);
  const name = optionalText(ctx, "name");
  const search = optionalText(ctx, "search");
  const states = optionalText(ctx, "states");
  if (name !== undefined && search !== undefined)
    throw ApiError.invalidParam("name, search are mutually exclusive");
  if (search !== undefined && search.length < 3)
    throw ApiError.invalidParam("search must be at least 3 characters long");
  if (states !== undefined && !(STATES as readonly string[]).includes(states))
    throw ApiError.invalidParam("states does not have a valid value");
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  const all = app.store.environments.list({
    projectId: project.id,
    ...(name === undefined ? {} : { name }),
    ...(search === undefined ? {} : { search }),
    ...(states === undefined ? {} : { states: [states as Environment["state"]] }),
  });
  const window = pageWindow(pageReq, all.length);
  const page = window ? all.slice(window.offset, window.offset + window.limit) : [];
  return jsonReply(
    200,
    page.map(presentEnvironmentV4),
    paginationHeaders(pageReq, all.length, ctx.baseUrl, { ...ctx.params, ...ctx.route }, 1),
  );
}

/** The environment `:environment_id` of the project: 404 `Not found` otherwise. */
function findEnvironment(ctx: RequestContext, app: Pick<App, "store">, projectId: number): Environment {
  const id = integerRouteParam(ctx, "environment_id");
  const environment = id > 0 ? app.store.environments.get(id) : undefined;
  if (!environment || environment.projectId !== projectId) throw ApiError.of("RECORD_NOT_FOUND");
  return environment;
}

/** `GET /projects/:id/environments/:environment_id`: with `last_deployment`. */
export function getEnvironment(ctx: RequestContext, app: AccessDeps & PresentV4Deps): Reply {
  const caller = callerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  const environment = findEnvironment(ctx, app, project.id);
  const deployment = app.store.environments.lastDeployment(environment.id);
  const deployed = deployment && { deployment, build: app.store.builds.get(deployment.buildId) };
  return jsonReply(200, presentEnvironmentDetailV4(environment, deployed, presentOptionsV4(app)));
}

/** `POST /projects/:id/environments/:environment_id/stop`: runs its `on_stop` job, or stops it at once. */
export function stopEnvironmentRoute(ctx: RequestContext, app: AccessDeps & StopEnvironmentDeps): Reply {
  const caller = callerOf(ctx, app);
  const force = ctx.params.force;
  // Grape's Boolean coercion: JSON booleans arrive as the strings "true"/"false" here.
  if (force !== undefined && force !== "true" && force !== "false")
    throw ApiError.invalidParam("force is invalid");
  const project = findProjectV4(ctx, app, caller);
  const user = requireUpdateJobs(caller, project);
  const environment = findEnvironment(ctx, app, project.id);
  const stopped = stopEnvironment(app, environment, user, force === "true");
  return jsonReply(200, presentEnvironmentV4(stopped));
}
