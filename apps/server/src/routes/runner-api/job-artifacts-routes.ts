// The runner's artifact endpoints, authenticated by job token (`JOB-TOKEN` header or `token` param):
// `POST /api/v4/jobs/:id/artifacts` stores the raw zip body of a running job, `GET` serves a job's
// archive to the jobs that depend on it.

import { type Build, isCompletedStatus } from "@buildsim/core";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { needsAcrossPipelines } from "../../services/cross-dependencies.js";
import { saveJunitReport } from "../../services/test-reports.js";
import { integerRouteParam } from "../access.js";
import { artifactsReply } from "../artifacts-reply.js";
import type { RouteHandler } from "../route-handler.js";
import { parseExpireIn } from "./parse-expire-in.js";

/** What an upload needs of the wiring: the job, the clock, and the transition that records the archive. */
type UploadDeps = Pick<App, "store" | "now" | "transitions">;

/** Default upload limit (GitLab's default `max_artifacts_size` is 100 MB). */
export const DEFAULT_MAX_ARTIFACTS_BYTES = 100 * 1024 * 1024;

function jobToken(ctx: RequestContext): string | undefined {
  const param = ctx.params.token;
  if (typeof param === "string") return param;
  const header = ctx.headers["job-token"];
  return Array.isArray(header) ? header[0] : header;
}

/** The job named by `:id`: 404 unknown, 403 wrong token, 403 erased. */
function authenticatedJob(
  ctx: RequestContext,
  app: Pick<App, "store">,
  accept: (token: string, job: Build) => boolean,
): Build {
  const id = integerRouteParam(ctx, "id");
  const job = id > 0 ? app.store.builds.get(id) : undefined;
  if (!job) throw ApiError.of("NOT_FOUND");
  const token = jobToken(ctx);
  if (!token || !accept(token, job)) throw ApiError.of("FORBIDDEN");
  if (job.erasedAt !== null) throw ApiError.of("JOB_ERASED");
  return job;
}

/** The artifact types buildsim stores: the archive, and the `junit` report it parses. */
const ARTIFACT_TYPES = ["archive", "junit"] as const;

/** `artifact_type` (Grape `values:`, default `archive`). */
function artifactType(ctx: RequestContext): (typeof ARTIFACT_TYPES)[number] {
  const type = ctx.params.artifact_type ?? "archive";
  if (typeof type !== "string" || !(ARTIFACT_TYPES as readonly string[]).includes(type))
    throw ApiError.invalidParam("artifact_type does not have a valid value");
  return type as (typeof ARTIFACT_TYPES)[number];
}

/** The job an upload is for, checked before its body is read: 400 bad type, 404, 403 wrong token or erased, 403 not running. */
function uploadTarget(ctx: RequestContext, app: Pick<App, "store">): Build {
  artifactType(ctx);
  const job = authenticatedJob(ctx, app, (token, j) => token === j.token);
  if (job.status !== "running") throw ApiError.of("JOB_NOT_RUNNING");
  return job;
}

/**
 * `POST /api/v4/jobs/:id/artifacts` with a raw `application/zip` body; past `maxBytes` → 413. GitLab
 * authorizes an upload (`POST …/artifacts/authorize`, then Workhorse) before it accepts the body, so
 * the job token is checked first and the body goes to disk, never into memory.
 */
export function createUploadArtifacts(maxBytes: number): RouteHandler<UploadDeps> {
  const handler: RouteHandler<UploadDeps> = (ctx, app) => {
    const upload = ctx.upload;
    if (!upload || upload.size === 0) throw ApiError.of("MISSING_ARTIFACTS_FILE");
    // The job may have finished while its body streamed in.
    const job = uploadTarget(ctx, app);
    const at = app.now();
    if (artifactType(ctx) === "junit") {
      saveJunitReport(app.store, job.id, upload.file, upload.size, at);
      return uploadedReply(job);
    }
    const expireRaw = ctx.params.expire_in ?? job.artifactsOptions?.expireIn;
    let expireAt: string | null = null;
    if (expireRaw !== undefined) {
      if (typeof expireRaw !== "string") throw ApiError.invalidParam("expire_in is invalid");
      const seconds = parseExpireIn(expireRaw);
      if (seconds === undefined) throw ApiError.invalidParam("expire_in is invalid");
      if (seconds !== null) expireAt = new Date(Date.parse(at) + seconds * 1000).toISOString();
    }
    const filename = `${job.artifactsOptions?.name ?? "artifacts"}.zip`;
    const saved = app.store.transaction(() => {
      const record = app.store.artifacts.putFile(job.id, filename, upload.file, upload.size, at);
      return app.transitions.saveDetails({
        ...job,
        artifactsFile: { filename: record.filename, size: record.size },
        artifactsExpireAt: expireAt,
      });
    });
    return uploadedReply(saved);
  };
  handler.upload = {
    maxBytes,
    authorize: (ctx, app) => void uploadTarget(ctx, app),
    dir: (app) => app.store.artifacts.incomingDir,
  };
  return handler;
}

/** The upload's answer: the job with its archive (GitLab's `Entities::Ci::JobRequest::Response` subset). */
function uploadedReply(job: Build): Reply {
  return jsonReply(201, {
    id: job.id,
    status: job.status,
    artifacts_file: job.artifactsFile,
    artifacts_expire_at: job.artifactsExpireAt,
  });
}

/**
 * `GET /api/v4/jobs/:id/artifacts`: the archive, for the job's own token or the token of a job that is
 * still active and depends on it: one of the same project, or one whose `needs:project` names it.
 */
export function downloadJobArtifacts(ctx: RequestContext, app: Pick<App, "store">): Reply {
  const job = authenticatedJob(ctx, app, (token, j) => {
    if (token === j.token) return true;
    const other = app.store.builds.getByToken(token);
    if (other === undefined || isCompletedStatus(other.status)) return false;
    return other.projectId === j.projectId || needsAcrossPipelines(app.store, other, j);
  });
  return artifactsReply(app, job.id);
}
