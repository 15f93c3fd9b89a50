// The v4 job reads: one job, its trace, its artifacts archive or one file out of it, and the latest
// artifacts of a job on a ref (whole archive or one file).

import { type Build, hasArtifacts, type Project } from "@buildsim/core";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import type { Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { readArtifactEntry } from "../../services/artifact-entry.js";
import { type AccessDeps, integerRouteParam } from "../access.js";
import { EntityRenderer, type EntityRendererDeps } from "../cached-entities.js";
import { jobReply, type PresentV4Deps } from "./job-reply.js";
import { callerOf, findJob, findProjectV4, requireReadJobs } from "./v4-access.js";

/** What the job reads need of the wiring: access, rendering (cached or not), and the masked trace. */
type JobReadDeps = AccessDeps & PresentV4Deps & EntityRendererDeps & Pick<App, "readCache" | "traces">;

/** 401, 400 `job_id is invalid`, 404 project, 403, 404 `Not found` job; anonymous only if allowed. */
function readableJob(ctx: RequestContext, app: JobReadDeps, allowAnonymous = false): Build {
  const caller = callerOf(ctx, app, allowAnonymous);
  const jobId = integerRouteParam(ctx, "job_id");
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  return findJob(app, project, jobId);
}

/** `Content-Disposition` for a download: the quoted name plus its RFC 5987 form, as Rails sends it. */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** A binary download reply. */
function fileReply(filename: string, bytes: Uint8Array): Reply {
  return {
    status: 200,
    headers: [
      "Content-Type",
      "application/octet-stream",
      "Content-Disposition",
      attachment(filename),
      "Content-Transfer-Encoding",
      "binary",
    ],
    body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  };
}

/** `present_artifacts_file!`: the archive if its file exists, else 404 `Not Found`. */
function archiveReply(app: Pick<App, "store">, build: Build): Reply {
  const file = app.store.artifacts.read(build.id);
  if (!file) throw ApiError.of("NOT_FOUND");
  return fileReply(file.record.filename, file.bytes);
}

/** `send_artifacts_entry`: one file of the archive; 400 for a bad path, 404 when it is not there. */
function entryReply(app: Pick<App, "store">, build: Build, path: string): Reply {
  const file = app.store.artifacts.read(build.id);
  if (!file) throw ApiError.of("NOT_FOUND");
  const entry = readArtifactEntry(file.bytes, path);
  if (entry.kind === "invalid-path") throw ApiError.of("BAD_REQUEST");
  if (entry.kind === "missing") throw ApiError.of("NOT_FOUND");
  return fileReply(path.split("/").pop() ?? path, entry.bytes);
}

/** `GET /projects/:id/jobs/:job_id`: the cached entity when current (checks run first, always). */
export function getJob(ctx: RequestContext, app: JobReadDeps): Reply {
  if (!app.readCache) return jobReply(app, 200, readableJob(ctx, app));
  const caller = callerOf(ctx, app);
  const jobId = integerRouteParam(ctx, "job_id");
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  return new EntityRenderer(app, app.readCache).single("v4", project.id, jobId, () =>
    findJob(app, project, jobId),
  );
}

/** `GET …/jobs/:job_id/trace`: `text/plain`, secrets masked, an empty body when there is no trace. */
export function getJobTrace(ctx: RequestContext, app: JobReadDeps): Reply {
  const build = readableJob(ctx, app);
  return {
    status: 200,
    headers: ["Content-Type", "text/plain", "Content-Disposition", `infile; filename="${build.id}.log"`],
    body: app.traces.readMasked(build.id),
  };
}

/** `GET …/jobs/:job_id/artifacts`: the archive (expiry is not checked, only that the file exists). */
export function getJobArtifacts(ctx: RequestContext, app: JobReadDeps): Reply {
  return archiveReply(app, readableJob(ctx, app, true));
}

/** `GET …/jobs/:job_id/artifacts/*artifact_path`: 404 unless the artifacts are still available. */
export function getJobArtifactFile(ctx: RequestContext, app: JobReadDeps): Reply {
  const build = readableJob(ctx, app, true);
  if (!hasArtifacts(build, app.now())) throw ApiError.of("NOT_FOUND");
  return entryReply(app, build, ctx.route.artifact_path ?? "");
}

/**
 * `latest_successful_build_for_ref!`: in the newest successful pipeline of the ref, the latest job named
 * `job` that has artifacts; ActiveRecord's 404 `Not found` when there is none.
 */
function latestJobWithArtifacts(app: Pick<App, "store">, project: Project, ref: string, job: string): Build {
  const pipeline = app.store.pipelines.latestSuccessfulForRef(project.id, ref);
  const found = pipeline
    ? app.store.builds
        .listByPipeline(pipeline.id)
        .filter((b) => b.name === job && !b.retried && b.artifactsFile !== null)
        .pop()
    : undefined;
  if (!found) throw ApiError.of("RECORD_NOT_FOUND");
  return found;
}

/** The checks of the by-ref downloads: `job` is a required string (400 before any lookup). */
function jobForRef(ctx: RequestContext, app: JobReadDeps): Build {
  const caller = callerOf(ctx, app, true);
  const job = ctx.params.job;
  if (job === undefined) throw ApiError.invalidParam("job is missing");
  if (typeof job !== "string") throw ApiError.invalidParam("job is invalid");
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  return latestJobWithArtifacts(app, project, ctx.route.ref_name ?? "", job);
}

/** `GET …/jobs/artifacts/:ref_name/download?job=`. */
export function downloadRefArtifacts(ctx: RequestContext, app: JobReadDeps): Reply {
  return archiveReply(app, jobForRef(ctx, app));
}

/** `GET …/jobs/artifacts/:ref_name/raw/*artifact_path?job=`. */
export function downloadRefArtifactFile(ctx: RequestContext, app: JobReadDeps): Reply {
  return entryReply(app, jobForRef(ctx, app), ctx.route.artifact_path ?? "");
}
