// GitLab's v4 pipelines endpoints buildsim serves: list, get, create (run `.gitlab-ci.yml` for a ref),
// cancel, a pipeline's trigger jobs (bridges) and its unit test report.

import type {
  BridgeEntity,
  PipelineBasicEntity,
  PipelineEntity,
  TestReportEntity,
  TestReportSummaryEntity,
} from "@buildsim/core";
import type { CallOptions, ProjectRef } from "./api-options.js";
import type { HttpTransport } from "./http-transport.js";
import { V4 } from "./jobs-v4-api.js";
import { PagedList, type PageOptions } from "./paged-list.js";
import { encodeProjectId } from "./query-string.js";

export interface ListPipelinesOptions extends PageOptions {
  /** `running`, `pending`, `finished`, `branches` or `tags`. */
  scope?: string;
  /** A pipeline status (`success`, `failed`, …). */
  status?: string;
  ref?: string;
  sha?: string;
  /** `id`, `status`, `ref`, `updated_at` or `user_id`. */
  orderBy?: string;
  sort?: "asc" | "desc";
}

/** A variable for a new pipeline, as `POST /projects/:id/pipeline` takes it. */
export interface PipelineVariable {
  key: string;
  value: string;
  /** @default "env_var" */
  variableType?: "env_var" | "file";
}

export interface CreatePipelineOptions extends CallOptions {
  variables?: readonly PipelineVariable[];
}

/** `client.v4.pipelines` */
export interface PipelinesV4Api {
  /** `GET /projects/:id/pipelines`, newest first. */
  list(project: ProjectRef, options?: ListPipelinesOptions): PagedList<PipelineBasicEntity>;
  /** `GET /projects/:id/pipelines/:pipeline_id` */
  get(project: ProjectRef, pipelineId: number, options?: CallOptions): Promise<PipelineEntity>;
  /** `POST /projects/:id/pipeline?ref=`: creates a pipeline from the ref's `.gitlab-ci.yml`. */
  create(project: ProjectRef, ref: string, options?: CreatePipelineOptions): Promise<PipelineEntity>;
  /**
   * `POST /projects/:id/pipelines/:pipeline_id/cancel`: every job still to run or running, in it and its
   * child pipelines, is canceled (manual jobs and multi-project downstream pipelines are left alone).
   */
  cancel(project: ProjectRef, pipelineId: number, options?: CallOptions): Promise<PipelineEntity>;
  /** `GET /projects/:id/pipelines/:pipeline_id/bridges`: its trigger jobs, each with its downstream pipeline. */
  bridges(project: ProjectRef, pipelineId: number, options?: PageOptions): PagedList<BridgeEntity>;
  /** `GET /projects/:id/pipelines/:pipeline_id/test_report`: every suite with its cases (JUnit reports). */
  testReport(project: ProjectRef, pipelineId: number, options?: CallOptions): Promise<TestReportEntity>;
  /** `GET /projects/:id/pipelines/:pipeline_id/test_report_summary`: the counts, without the cases. */
  testReportSummary(
    project: ProjectRef,
    pipelineId: number,
    options?: CallOptions,
  ): Promise<TestReportSummaryEntity>;
}

/** Creates `client.v4.pipelines` over a transport. */
export function createPipelinesV4Api(transport: HttpTransport): PipelinesV4Api {
  const projectPath = (project: ProjectRef) => `${V4}/projects/${encodeProjectId(project)}`;
  const read = async <T>(path: string, options?: CallOptions) =>
    (await transport.request<T>({ method: "GET", path, signal: options?.signal })).data;
  return {
    list: (project, options) =>
      new PagedList(
        transport,
        {
          path: `${projectPath(project)}/pipelines`,
          query: {
            scope: options?.scope,
            status: options?.status,
            ref: options?.ref,
            sha: options?.sha,
            order_by: options?.orderBy,
            sort: options?.sort,
          },
        },
        options,
      ),
    get: (project, pipelineId, options) =>
      read<PipelineEntity>(`${projectPath(project)}/pipelines/${pipelineId}`, options),
    cancel: async (project, pipelineId, options) =>
      (
        await transport.request<PipelineEntity>({
          method: "POST",
          path: `${projectPath(project)}/pipelines/${pipelineId}/cancel`,
          signal: options?.signal,
        })
      ).data,
    bridges: (project, pipelineId, options) =>
      new PagedList(
        transport,
        { path: `${projectPath(project)}/pipelines/${pipelineId}/bridges`, query: {} },
        options,
      ),
    testReport: (project, pipelineId, options) =>
      read<TestReportEntity>(`${projectPath(project)}/pipelines/${pipelineId}/test_report`, options),
    testReportSummary: (project, pipelineId, options) =>
      read<TestReportSummaryEntity>(
        `${projectPath(project)}/pipelines/${pipelineId}/test_report_summary`,
        options,
      ),
    create: async (project, ref, options) =>
      (
        await transport.request<PipelineEntity>({
          method: "POST",
          path: `${projectPath(project)}/pipeline`,
          query: { ref },
          body:
            options?.variables === undefined
              ? {}
              : {
                  variables: options.variables.map((variable) => ({
                    key: variable.key,
                    value: variable.value,
                    variable_type: variable.variableType ?? "env_var",
                  })),
                },
          signal: options?.signal,
        })
      ).data,
  };
}
