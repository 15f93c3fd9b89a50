// GitLab's v4 commit statuses (https://docs.gitlab.com/17.0/ee/api/commits.html#commit-status): how
// external CI tools report on a commit, and the statuses of a commit's pipelines.

import type { CommitStatusEntity } from "@buildsim/core";
import type { CallOptions, ProjectRef } from "./api-options.js";
import type { HttpTransport } from "./http-transport.js";
import { V4 } from "./jobs-v4-api.js";
import { PagedList, type PageOptions } from "./paged-list.js";
import { encodeProjectId } from "./query-string.js";

export interface ListCommitStatusesOptions extends PageOptions {
  ref?: string;
  stage?: string;
  name?: string;
  /** Only the statuses of this pipeline. */
  pipelineId?: number;
  /** Every pipeline of the commit, not only the newest. */
  all?: boolean;
}

export interface SetCommitStatusOptions extends CallOptions {
  /** `pending`, `running`, `success`, `failed`, `canceled` or `skipped`. */
  state: string;
  /** @default "default" */
  name?: string;
  ref?: string;
  targetUrl?: string;
  description?: string;
  coverage?: number;
  pipelineId?: number;
}

/** `client.v4.commits` */
export interface CommitsV4Api {
  /** `GET /projects/:id/repository/commits/:sha/statuses`, newest first. */
  statuses(
    project: ProjectRef,
    sha: string,
    options?: ListCommitStatusesOptions,
  ): PagedList<CommitStatusEntity>;
  /** `POST /projects/:id/statuses/:sha`: creates or moves the commit's status named `name`. */
  setStatus(project: ProjectRef, sha: string, options: SetCommitStatusOptions): Promise<CommitStatusEntity>;
}

/** Creates `client.v4.commits` over a transport. */
export function createCommitsV4Api(transport: HttpTransport): CommitsV4Api {
  const projectPath = (project: ProjectRef) => `${V4}/projects/${encodeProjectId(project)}`;
  return {
    statuses: (project, sha, options) =>
      new PagedList(
        transport,
        {
          path: `${projectPath(project)}/repository/commits/${encodeURIComponent(sha)}/statuses`,
          query: {
            ref: options?.ref,
            stage: options?.stage,
            name: options?.name,
            pipeline_id: options?.pipelineId,
            all: options?.all,
          },
        },
        options,
      ),
    setStatus: async (project, sha, options) =>
      (
        await transport.request<CommitStatusEntity>({
          method: "POST",
          path: `${projectPath(project)}/statuses/${encodeURIComponent(sha)}`,
          body: {
            state: options.state,
            ...(options.name === undefined ? {} : { name: options.name }),
            ...(options.ref === undefined ? {} : { ref: options.ref }),
            ...(options.targetUrl === undefined ? {} : { target_url: options.targetUrl }),
            ...(options.description === undefined ? {} : { description: options.description }),
            ...(options.coverage === undefined ? {} : { coverage: options.coverage }),
            ...(options.pipelineId === undefined ? {} : { pipeline_id: options.pipelineId }),
          },
          signal: options.signal,
        })
      ).data,
  };
}
