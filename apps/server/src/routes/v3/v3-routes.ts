// Every v3 builds endpoint, mounted under /api/v3.

import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import { cancelBuild, eraseBuild, keepArtifacts, playBuild, retryBuildRoute } from "./build-action-routes.js";
import { downloadArtifactsForRef, getArtifacts, getBuild, getTrace } from "./build-routes.js";
import { listCommitBuilds, listProjectBuilds } from "./list-builds.js";

/** Adds the v3 routes. The artifacts-by-ref route comes first: its `ref_name` may contain slashes. */
export function addV3Routes(router: Router<RouteHandler>): void {
  const p = "/api/v3/projects/:id";
  router
    .add("GET", `${p}/builds/artifacts/*ref_name/download`, downloadArtifactsForRef)
    .add("GET", `${p}/builds`, listProjectBuilds)
    .add("GET", `${p}/repository/commits/:sha/builds`, listCommitBuilds)
    .add("GET", `${p}/builds/:build_id`, getBuild)
    .add("GET", `${p}/builds/:build_id/artifacts`, getArtifacts)
    .add("GET", `${p}/builds/:build_id/trace`, getTrace)
    .add("POST", `${p}/builds/:build_id/cancel`, cancelBuild)
    .add("POST", `${p}/builds/:build_id/retry`, retryBuildRoute)
    .add("POST", `${p}/builds/:build_id/erase`, eraseBuild)
    .add("POST", `${p}/builds/:build_id/artifacts/keep`, keepArtifacts)
    .add("POST", `${p}/builds/:build_id/play`, playBuild);
}
