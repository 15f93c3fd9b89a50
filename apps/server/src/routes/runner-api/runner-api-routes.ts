// Mounts the runner-facing HTTP endpoints under /api/v4 (registration and job artifacts).

import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import {
  createUploadArtifacts,
  DEFAULT_MAX_ARTIFACTS_BYTES,
  downloadJobArtifacts,
} from "./job-artifacts-routes.js";
import { createUnregisterRunner, registerRunner, verifyRunner } from "./runner-registration-routes.js";

/** What the runner endpoints need from the server. */
export interface RunnerApiOptions {
  /** @default 100 MiB */
  maxArtifactsBytes?: number;
  /** Called after a runner unregistered (its sockets are closed). */
  onRunnerDeleted?: (runnerId: number) => void;
}

/** Adds the runner endpoints. */
export function addRunnerApiRoutes(router: Router<RouteHandler>, o: RunnerApiOptions = {}): void {
  router
    .add("POST", "/api/v4/runners", registerRunner)
    .add("DELETE", "/api/v4/runners", createUnregisterRunner(o.onRunnerDeleted ?? (() => {})))
    .add("POST", "/api/v4/runners/verify", verifyRunner)
    .add(
      "POST",
      "/api/v4/jobs/:id/artifacts",
      createUploadArtifacts(o.maxArtifactsBytes ?? DEFAULT_MAX_ARTIFACTS_BYTES),
    )
    .add("GET", "/api/v4/jobs/:id/artifacts", downloadJobArtifacts);
}
