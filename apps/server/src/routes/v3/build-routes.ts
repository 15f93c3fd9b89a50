// The v3 read endpoints of one build: the build, its trace, its artifacts, and the latest artifacts of
// a job on a ref.

import { type Build, hasTrace } from "@buildsim/core";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { type BuildShape, presentBuildV3 } from "../../presenters/present-build-v3.js";
import { type AccessDeps, currentUser, integerRouteParam } from "../access.js";
import { artifactsReply } from "../artifacts-reply.js";
import { EntityRenderer, type EntityRendererDeps } from "../cached-entities.js";
import { createEntityLookup } from "../store-lookup.js";
import { findBuild, findProject, requireReadBuild } from "./route-helpers.js";

/** What rendering v3 Build entities needs of the wiring. */
export type PresentV3Deps = Pick<App, "store" | "profile" | "now" | "webUrl">;

/** What the build reads need of the wiring: access, rendering (cached or not), and the masked trace. */
type BuildReadDeps = AccessDeps & PresentV3Deps & EntityRendererDeps & Pick<App, "readCache" | "traces">;

/** The Build entity reply for `build`. */
export function buildReply(
  app: PresentV3Deps,
  status: number,
  build: Build,
  shape: BuildShape = "build",
): Reply {
  const entity = presentBuildV3(build, {
    profile: app.profile,
    shape,
    now: app.now(),
    webUrl: app.webUrl(),
    lookup: createEntityLookup(app.store),
  });
  return jsonReply(status, entity);
}

/** The checks shared by every `/builds/:build_id…` read: 401, 400, 404 project, 403, 404 build. */
function readableBuild(ctx: RequestContext, app: AccessDeps): Build {
  const user = currentUser(ctx, app);
  const buildId = integerRouteParam(ctx, "build_id");
  const project = findProject(ctx, app, user);
  requireReadBuild(user, project);
  return findBuild(app, project, buildId);
}

/** `GET /projects/:id/builds/:build_id`: the cached entity when current (checks run first, always). */
export function getBuild(ctx: RequestContext, app: BuildReadDeps): Reply {
  if (!app.readCache) return buildReply(app, 200, readableBuild(ctx, app));
  const user = currentUser(ctx, app);
  const buildId = integerRouteParam(ctx, "build_id");
  const project = findProject(ctx, app, user);
  requireReadBuild(user, project);
  return new EntityRenderer(app, app.readCache).single("v3", project.id, buildId, () =>
    findBuild(app, project, buildId),
  );
}

/**
 * `GET /projects/:id/builds/:build_id/trace`: `text/plain`, secrets masked. With no trace: 404 under
 * `docs` (as the seed states), 200 and an empty body under `gitlab-8.17`.
 */
export function getTrace(ctx: RequestContext, app: BuildReadDeps): Reply {
  const build = readableBuild(ctx, app);
  if (!hasTrace(build) && app.profile === "docs") throw ApiError.of("NOT_FOUND");
  return {
    status: 200,
    headers: ["Content-Type", "text/plain", "Content-Disposition", `infile; filename="${build.id}.log"`],
    body: app.traces.readMasked(build.id),
  };
}

/** `GET /projects/:id/builds/:build_id/artifacts`: the file if it exists (expiry is not checked). */
export function getArtifacts(ctx: RequestContext, app: AccessDeps): Reply {
  return artifactsReply(app, readableBuild(ctx, app).id);
}

/**
 * `GET /projects/:id/builds/artifacts/:ref_name/download?job=NAME`: the artifacts of the latest build
 * named `job` in the newest successful pipeline of the ref; 404 `Not found` when there is none.
 */
export function downloadArtifactsForRef(ctx: RequestContext, app: AccessDeps): Reply {
  const user = currentUser(ctx, app);
  const job = ctx.params.job;
  if (job === undefined) throw ApiError.invalidParam("job is missing");
  if (typeof job !== "string") throw ApiError.invalidParam("job is invalid");
  const project = findProject(ctx, app, user);
  requireReadBuild(user, project);
  const pipeline = app.store.pipelines.latestSuccessfulForRef(project.id, ctx.route.ref_name ?? "");
  if (!pipeline) throw ApiError.of("RECORD_NOT_FOUND");
  const latestByName = new Map<string, Build>();
  for (const b of app.store.builds.listByPipeline(pipeline.id)) {
    const seen = latestByName.get(b.name);
    if (!seen || b.id > seen.id) latestByName.set(b.name, b);
  }
  const build = latestByName.get(job);
  if (!build?.artifactsFile) throw ApiError.of("RECORD_NOT_FOUND");
  return artifactsReply(app, build.id);
}
