// Every v3 builds endpoint, mounted under /api/v3, with its OpenAPI contract (GitLab 8.17's Builds API:
// https://docs.gitlab.com/8.17/ce/api/builds.html).

import { BuildEntityV3Schema, V3BuildListParamsSchema } from "@buildsim/core";
import { Type } from "@sinclair/typebox";
import { file, json, text } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import { cancelBuild, eraseBuild, keepArtifacts, playBuild, retryBuildRoute } from "./build-action-routes.js";
import { downloadArtifactsForRef, getArtifacts, getBuild, getTrace } from "./build-routes.js";
import { listCommitBuilds, listProjectBuilds } from "./list-builds.js";

const builds = json("The builds, newest first (paginated, `Link` header)", Type.Array(BuildEntityV3Schema));
const build = (description: string) => json(description, BuildEntityV3Schema);

/** Adds the v3 routes. The artifacts-by-ref route comes first: its `ref_name` may contain slashes. */
export function addV3Routes(router: Router<RouteHandler>): void {
  const p = "/api/v3/projects/:id";
  const action = (summary: string, status: 200 | 201, description: string) =>
    ({ summary, api: "v3", responses: { [status]: build(description) } }) as const;
  router
    .add("GET", `${p}/builds/artifacts/*ref_name/download`, downloadArtifactsForRef, {
      summary: "Download the artifacts archive of the latest successful build of a ref",
      api: "v3",
      params: Type.Object({ job: Type.String({ description: "The build's name" }) }),
      responses: { 200: file("The artifacts archive") },
    })
    .add("GET", `${p}/builds`, listProjectBuilds, {
      summary: "List project builds",
      api: "v3",
      params: V3BuildListParamsSchema,
      responses: { 200: builds },
    })
    .add("GET", `${p}/repository/commits/:sha/builds`, listCommitBuilds, {
      summary: "List commit builds",
      api: "v3",
      params: V3BuildListParamsSchema,
      responses: { 200: builds },
    })
    .add("GET", `${p}/builds/:build_id`, getBuild, {
      summary: "Get a single build",
      api: "v3",
      responses: { 200: build("The build") },
    })
    .add("GET", `${p}/builds/:build_id/artifacts`, getArtifacts, {
      summary: "Get build artifacts",
      api: "v3",
      responses: { 200: file("The artifacts archive") },
    })
    .add("GET", `${p}/builds/:build_id/trace`, getTrace, {
      summary: "Get a trace file",
      api: "v3",
      responses: { 200: text("The build's log so far") },
    })
    .add(
      "POST",
      `${p}/builds/:build_id/cancel`,
      cancelBuild,
      action("Cancel a build", 201, "The canceled build"),
    )
    .add(
      "POST",
      `${p}/builds/:build_id/retry`,
      retryBuildRoute,
      action("Retry a build", 201, "The new build"),
    )
    .add("POST", `${p}/builds/:build_id/erase`, eraseBuild, action("Erase a build", 201, "The erased build"))
    .add(
      "POST",
      `${p}/builds/:build_id/artifacts/keep`,
      keepArtifacts,
      action("Keep artifacts", 200, "The build, its artifacts kept"),
    )
    .add("POST", `${p}/builds/:build_id/play`, playBuild, action("Play a build", 200, "The build, started"));
}
