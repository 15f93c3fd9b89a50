// GitLab's v4 Jobs API (`/api/v4`), one typed method per endpoint buildsim serves.

import type { BridgeEntity, JobEntity } from "@buildsim/core";
import type { CallOptions, JobScope, ProjectRef } from "./api-options.js";
import type { HttpTransport } from "./http-transport.js";
import { PagedList, type PageOptions } from "./paged-list.js";
import { encodeArtifactPath, encodeProjectId } from "./query-string.js";

export interface ListJobsOptions extends PageOptions {
  /** Statuses to keep (any job status, `manual` included). */
  scope?: JobScope;
}

export interface ListPipelineJobsOptions extends ListJobsOptions {
  /** Include jobs that were retried (replaced by a newer job of the same name). */
  includeRetried?: boolean;
}

/** `client.v4.jobs` */
export interface JobsV4Api {
  /** `GET /projects/:id/jobs`, newest first. */
  list(project: ProjectRef, options?: ListJobsOptions): PagedList<JobEntity>;
  /** `GET /projects/:id/pipelines/:pipeline_id/jobs` */
  listForPipeline(
    project: ProjectRef,
    pipelineId: number,
    options?: ListPipelineJobsOptions,
  ): PagedList<JobEntity>;
  /** `GET /projects/:id/jobs/:job_id` */
  get(project: ProjectRef, jobId: number, options?: CallOptions): Promise<JobEntity>;
  /** `GET /projects/:id/jobs/:job_id/trace`: the raw log (empty after erase). */
  trace(project: ProjectRef, jobId: number, options?: CallOptions): Promise<string>;
  /** `GET /projects/:id/jobs/:job_id/trace` as bytes, for byte-exact offsets. */
  traceBytes(project: ProjectRef, jobId: number, options?: CallOptions): Promise<Uint8Array>;
  /** `GET /projects/:id/jobs/:job_id/artifacts`: the archive's bytes. */
  artifacts(project: ProjectRef, jobId: number, options?: CallOptions): Promise<Uint8Array>;
  /** `GET /projects/:id/jobs/:job_id/artifacts/*artifact_path`: one file from the archive. */
  artifactFile(project: ProjectRef, jobId: number, path: string, options?: CallOptions): Promise<Uint8Array>;
  /** `GET /projects/:id/jobs/artifacts/:ref_name/download?job=` */
  artifactsForRef(project: ProjectRef, ref: string, job: string, options?: CallOptions): Promise<Uint8Array>;
  /** `GET /projects/:id/jobs/artifacts/:ref_name/raw/*artifact_path?job=` */
  artifactFileForRef(
    project: ProjectRef,
    ref: string,
    path: string,
    job: string,
    options?: CallOptions,
  ): Promise<Uint8Array>;
  /** `POST …/cancel` (201; a finished job comes back unchanged). */
  cancel(project: ProjectRef, jobId: number, options?: CallOptions): Promise<JobEntity>;
  /** `POST …/retry`: the NEW job. */
  retry(project: ProjectRef, jobId: number, options?: CallOptions): Promise<JobEntity>;
  /** `POST …/erase` */
  erase(project: ProjectRef, jobId: number, options?: CallOptions): Promise<JobEntity>;
  /**
   * `POST …/play`: the job, or for a manual trigger job the Bridge entity (`downstream_pipeline` instead of
   * the job's runner, artifacts and such), as GitLab answers (`present bridge, with: Entities::Ci::Bridge`).
   */
  play(project: ProjectRef, jobId: number, options?: CallOptions): Promise<JobEntity | BridgeEntity>;
  /** `POST …/artifacts/keep` */
  keepArtifacts(project: ProjectRef, jobId: number, options?: CallOptions): Promise<JobEntity>;
  /** `DELETE …/artifacts` (204). */
  deleteArtifacts(project: ProjectRef, jobId: number, options?: CallOptions): Promise<void>;
}

export const V4 = "/api/v4";

/** Creates `client.v4.jobs` over a transport. */
export function createJobsV4Api(transport: HttpTransport): JobsV4Api {
  const projectPath = (project: ProjectRef) => `${V4}/projects/${encodeProjectId(project)}`;
  const jobs = (project: ProjectRef) => `${projectPath(project)}/jobs`;
  const bytes = async (path: string, options?: CallOptions, job?: string) =>
    (
      await transport.request<Uint8Array>({
        method: "GET",
        path,
        query: job === undefined ? undefined : { job },
        responseType: "bytes",
        signal: options?.signal,
      })
    ).data;
  const post = async (path: string, options?: CallOptions) =>
    (await transport.request<JobEntity>({ method: "POST", path, signal: options?.signal })).data;

  return {
    list: (project, options) =>
      new PagedList(transport, { path: jobs(project), query: { scope: options?.scope } }, options),
    listForPipeline: (project, pipelineId, options) =>
      new PagedList(
        transport,
        {
          path: `${projectPath(project)}/pipelines/${pipelineId}/jobs`,
          query: { scope: options?.scope, include_retried: options?.includeRetried },
        },
        options,
      ),
    get: async (project, jobId, options) =>
      (
        await transport.request<JobEntity>({
          method: "GET",
          path: `${jobs(project)}/${jobId}`,
          signal: options?.signal,
        })
      ).data,
    trace: async (project, jobId, options) =>
      (
        await transport.request<string>({
          method: "GET",
          path: `${jobs(project)}/${jobId}/trace`,
          responseType: "text",
          signal: options?.signal,
        })
      ).data,
    traceBytes: (project, jobId, options) => bytes(`${jobs(project)}/${jobId}/trace`, options),
    artifacts: (project, jobId, options) => bytes(`${jobs(project)}/${jobId}/artifacts`, options),
    artifactFile: (project, jobId, path, options) =>
      bytes(`${jobs(project)}/${jobId}/artifacts/${encodeArtifactPath(path)}`, options),
    artifactsForRef: (project, ref, job, options) =>
      bytes(`${jobs(project)}/artifacts/${encodeURIComponent(ref)}/download`, options, job),
    artifactFileForRef: (project, ref, path, job, options) =>
      bytes(
        `${jobs(project)}/artifacts/${encodeURIComponent(ref)}/raw/${encodeArtifactPath(path)}`,
        options,
        job,
      ),
    cancel: (project, jobId, options) => post(`${jobs(project)}/${jobId}/cancel`, options),
    retry: (project, jobId, options) => post(`${jobs(project)}/${jobId}/retry`, options),
    erase: (project, jobId, options) => post(`${jobs(project)}/${jobId}/erase`, options),
    play: async (project, jobId, options) =>
      (
        await transport.request<JobEntity | BridgeEntity>({
          method: "POST",
          path: `${jobs(project)}/${jobId}/play`,
          signal: options?.signal,
        })
      ).data,
    keepArtifacts: (project, jobId, options) => post(`${jobs(project)}/${jobId}/artifacts/keep`, options),
    deleteArtifacts: async (project, jobId, options) => {
      await transport.request({
        method: "DELETE",
        path: `${jobs(project)}/${jobId}/artifacts`,
        responseType: "none",
        signal: options?.signal,
      });
    },
  };
}
