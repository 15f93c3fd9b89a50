// Mounts the runner-facing HTTP endpoints under /api/v4 (registration and job artifacts), with their
// OpenAPI contract (GitLab's runner API; the WebSocket side is docs/runner-protocol.md).

import {
  BuildStatusSchema,
  Nullable,
  RegisteredRunnerSchema,
  RegisterRunnerParamsSchema,
  RunnerTokenParamsSchema,
  UploadArtifactsParamsSchema,
} from "@buildsim/core";
import { Type } from "@sinclair/typebox";
import { empty, file, json } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import {
  createUploadArtifacts,
  DEFAULT_MAX_ARTIFACTS_BYTES,
  downloadJobArtifacts,
} from "./job-artifacts-routes.js";
import { registerRunner, unregisterRunner, verifyRunner } from "./runner-registration-routes.js";

/** What the runner endpoints need from the server. */
export interface RunnerApiOptions {
  /** @default 100 MiB */
  maxArtifactsBytes?: number;
}

/** Adds the runner endpoints. */
export function addRunnerApiRoutes(router: Router<RouteHandler>, o: RunnerApiOptions = {}): void {
  router
    .add("POST", "/api/v4/runners", registerRunner, {
      summary: "Register a runner",
      api: "runner",
      params: RegisterRunnerParamsSchema,
      responses: { 201: json("The new runner's id and token", RegisteredRunnerSchema) },
    })
    .add("DELETE", "/api/v4/runners", unregisterRunner, {
      summary: "Unregister a runner (its sockets are closed with 4401)",
      api: "runner",
      params: RunnerTokenParamsSchema,
      responses: { 204: empty("Unregistered") },
    })
    .add("POST", "/api/v4/runners/verify", verifyRunner, {
      summary: "Verify a runner's token",
      api: "runner",
      params: RunnerTokenParamsSchema,
      responses: {
        200: json(
          "The runner",
          Type.Object({
            id: Type.Integer(),
            token: Type.String(),
            token_expires_at: Nullable(Type.String()),
          }),
        ),
      },
    })
    .add(
      "POST",
      "/api/v4/jobs/:id/artifacts",
      createUploadArtifacts(o.maxArtifactsBytes ?? DEFAULT_MAX_ARTIFACTS_BYTES),
      {
        summary: "Upload a job's artifacts archive (raw zip body, job token)",
        api: "runner",
        params: UploadArtifactsParamsSchema,
        body: "application/zip",
        responses: {
          201: json(
            "The job's artifacts",
            Type.Object({
              id: Type.Integer(),
              status: BuildStatusSchema,
              artifacts_file: Nullable(Type.Object({ filename: Type.String(), size: Type.Integer() })),
              artifacts_expire_at: Nullable(Type.String()),
            }),
          ),
        },
      },
    )
    .add("GET", "/api/v4/jobs/:id/artifacts", downloadJobArtifacts, {
      summary: "Download a job's artifacts archive (its job token, or a dependent job's)",
      api: "runner",
      responses: { 200: file("The archive") },
    });
}
