// `/projects/:id/triggers`: list, get, create, update and delete pipeline trigger tokens, with GitLab
// 17.0's permissions (Maintainer: `admin_build`/`manage_trigger`; only the owner may update one) and its
// way of showing a token (whole to its owner, four characters to others). lib/api/ci/triggers.rb;
// https://docs.gitlab.com/17.0/ee/api/pipeline_triggers.html

import type { PipelineTrigger, Project, User } from "@buildsim/core";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentTriggerV4 } from "../../presenters/present-trigger-v4.js";
import {
  canAdminTrigger,
  createTrigger,
  deleteTrigger,
  type TriggerTokenDeps,
  updateTrigger,
} from "../../services/pipeline-triggers.js";
import { type AccessDeps, integerRouteParam } from "../access.js";
import { stringParam } from "./grape-params.js";
import { findProjectV4, requireAdminProject, userCallerOf } from "./v4-access.js";

/** What the trigger token routes need of the wiring: access, writing tokens, and their `web_url`s. */
type TriggerTokenRouteDeps = AccessDeps & TriggerTokenDeps & Pick<App, "webUrl">;

/** `user_project.triggers.find(id)`: ActiveRecord's 404 `Not found` for another project's trigger too. */
function findTrigger(ctx: RequestContext, app: Pick<App, "store">, project: Project): PipelineTrigger {
  const id = integerRouteParam(ctx, "trigger_id");
  const trigger = app.store.pipelineTriggers.get(id);
  if (!trigger || trigger.projectId !== project.id) throw ApiError.of("RECORD_NOT_FOUND");
  return trigger;
}

const present = (app: Pick<App, "store" | "webUrl">, user: User, trigger: PipelineTrigger) =>
  presentTriggerV4(trigger, {
    owner: app.store.users.get(trigger.ownerId),
    lastUsed: app.store.pipelineTriggers.lastUsed(trigger.id),
    tokenExposed: canAdminTrigger(user, trigger, app),
    webUrl: app.webUrl(),
  });

/** The signed-in caller and the project, for the routes that need `admin_build` first. */
function adminContext(ctx: RequestContext, app: AccessDeps): { user: User; project: Project } {
  const caller = userCallerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  return { user: requireAdminProject(caller, project), project };
}

/** `GET /projects/:id/triggers`: oldest first, paginated. */
export function listTriggers(ctx: RequestContext, app: TriggerTokenRouteDeps): Reply {
  const pageReq = parsePageRequest(ctx.params);
  const { user, project } = adminContext(ctx, app);
  const all = app.store.pipelineTriggers.list(project.id);
  const window = pageWindow(pageReq, all.length);
  const page = window ? all.slice(window.offset, window.offset + window.limit) : [];
  return jsonReply(
    200,
    page.map((t) => present(app, user, t)),
    paginationHeaders(pageReq, all.length, ctx.baseUrl, { ...ctx.params, ...ctx.route }, 1),
  );
}

/** `GET /projects/:id/triggers/:trigger_id`. */
export function getTrigger(ctx: RequestContext, app: TriggerTokenRouteDeps): Reply {
  const { user, project } = adminContext(ctx, app);
  return jsonReply(200, present(app, user, findTrigger(ctx, app, project)));
}

/** `POST /projects/:id/triggers` (`description` required): 201, owned by the caller. */
export function createTriggerRoute(ctx: RequestContext, app: TriggerTokenRouteDeps): Reply {
  const description = stringParam(ctx.params, "description");
  if (description === undefined) throw ApiError.invalidParam("description is missing");
  const { user, project } = adminContext(ctx, app);
  return jsonReply(201, present(app, user, createTrigger(app, project.id, user, description)));
}

/**
 * `PUT /projects/:id/triggers/:trigger_id`: any reader finds the trigger (404 first); then only its owner,
 * a Maintainer, may change it, else `Ci::PipelineTriggers::UpdateService`'s 403 with its reason.
 */
export function updateTriggerRoute(ctx: RequestContext, app: TriggerTokenRouteDeps): Reply {
  const description = stringParam(ctx.params, "description");
  const caller = userCallerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  const trigger = findTrigger(ctx, app, project);
  if (!canAdminTrigger(caller.user, trigger, app))
    throw ApiError.forbidden("The current user is not authorized to update the pipeline trigger token");
  return jsonReply(200, present(app, caller.user, updateTrigger(app, trigger, description)));
}

/** `DELETE /projects/:id/triggers/:trigger_id`: `manage_trigger` (any Maintainer), then 404; 204. */
export function deleteTriggerRoute(ctx: RequestContext, app: TriggerTokenRouteDeps): Reply {
  const { project } = adminContext(ctx, app);
  deleteTrigger(app, findTrigger(ctx, app, project));
  return { status: 204, headers: [], body: Buffer.alloc(0) };
}
