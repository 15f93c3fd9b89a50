// buildsim's own read endpoints (not GitLab's REST API): a pipeline's needs graph, its jobs with what the
// REST Job entity lacks (stage place, `when`, `scheduled_at`, downstream pipeline), and a job's variables.

import type { JobNeedsEntity, JobVariableEntity, PipelineJobsEntity } from "@buildsim/core";
import type { CallOptions, ProjectRef } from "./api-options.js";
import type { HttpTransport } from "./http-transport.js";
import { encodeProjectId } from "./query-string.js";

const PREFIX = "/-/buildsim/api/projects";

/** `client.buildsim`: only a buildsim server has these (a real GitLab answers 404). */
export interface BuildsimApi {
  /** The pipeline's jobs with their `needs:` (null: stage order). */
  pipelineNeeds(project: ProjectRef, pipelineId: number, options?: CallOptions): Promise<JobNeedsEntity[]>;
  /**
   * The pipeline's status and every job (retried and trigger jobs included) in one consistent read: stage
   * place, `when`, `scheduled_at`, stored trace size, and a trigger job's downstream pipeline.
   */
  pipelineJobs(project: ProjectRef, pipelineId: number, options?: CallOptions): Promise<PipelineJobsEntity>;
  /** The variables the job saw; masked values are null. Needs Developer access. */
  jobVariables(project: ProjectRef, jobId: number, options?: CallOptions): Promise<JobVariableEntity[]>;
}

/** Creates `client.buildsim` over a transport. */
export function createBuildsimApi(transport: HttpTransport): BuildsimApi {
  const get = async <T>(path: string, options?: CallOptions) =>
    (await transport.request<T>({ method: "GET", path, signal: options?.signal })).data;
  return {
    pipelineNeeds: (project, pipelineId, options) =>
      get(`${PREFIX}/${encodeProjectId(project)}/pipelines/${pipelineId}/needs`, options),
    pipelineJobs: (project, pipelineId, options) =>
      get(`${PREFIX}/${encodeProjectId(project)}/pipelines/${pipelineId}/jobs`, options),
    jobVariables: (project, jobId, options) =>
      get(`${PREFIX}/${encodeProjectId(project)}/jobs/${jobId}/variables`, options),
  };
}
