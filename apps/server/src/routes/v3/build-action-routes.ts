// The v3 build actions: cancel, retry, erase (201), keep artifacts and play (200).

import type { Build, User } from "@buildsim/core";
import type { App } from "../../app.js";
import type { Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { type AccessDeps, actedBuild, currentUser, integerRouteParam } from "../access.js";
import { buildReply, type PresentV3Deps } from "./build-routes.js";
import { findBuild, findProject, requireReadBuild, requireUpdateBuild } from "./route-helpers.js";

/** What the build actions need of the wiring: access, the build actions, and rendering the build. */
type BuildActionDeps = AccessDeps & PresentV3Deps & Pick<App, "actions">;

/** 401, 400, 404 project, 403 (`update_build`, or only `read_build` for play), 404 build. */
function actionTarget(
  ctx: RequestContext,
  app: AccessDeps,
  ability: "read" | "update",
): { user: User; build: Build } {
  const user = currentUser(ctx, app);
  const buildId = integerRouteParam(ctx, "build_id");
  const project = findProject(ctx, app, user);
  if (ability === "update") requireUpdateBuild(user, project);
  else requireReadBuild(user, project);
  return { user, build: findBuild(app, project, buildId) };
}

/** `POST …/builds/:build_id/cancel`: 201, also when the build had already finished (a no-op). */
export function cancelBuild(ctx: RequestContext, app: BuildActionDeps): Reply {
  const { build } = actionTarget(ctx, app, "update");
  return buildReply(app, 201, actedBuild(app.actions.cancel(build.id), "v3"));
}

/** `POST …/builds/:build_id/retry`: 201 with the new build. */
export function retryBuildRoute(ctx: RequestContext, app: BuildActionDeps): Reply {
  const { user, build } = actionTarget(ctx, app, "update");
  return buildReply(app, 201, actedBuild(app.actions.retry(build.id, user), "v3"));
}

/** `POST …/builds/:build_id/erase`: 201. */
export function eraseBuild(ctx: RequestContext, app: BuildActionDeps): Reply {
  const { user, build } = actionTarget(ctx, app, "update");
  return buildReply(app, 201, actedBuild(app.actions.erase(build.id, user), "v3"), "erase-keep");
}

/** `POST …/builds/:build_id/artifacts/keep`: 200. */
export function keepArtifacts(ctx: RequestContext, app: BuildActionDeps): Reply {
  const { build } = actionTarget(ctx, app, "update");
  return buildReply(app, 200, actedBuild(app.actions.keepArtifacts(build.id), "v3"), "erase-keep");
}

/** `POST …/builds/:build_id/play`: 200; in 8.x only `read_build` is needed. */
export function playBuild(ctx: RequestContext, app: BuildActionDeps): Reply {
  const { user, build } = actionTarget(ctx, app, "read");
  return buildReply(app, 200, actedBuild(app.actions.play(build.id, user), "v3"));
}
