// GitLab's v4 runner reads: the caller's runners, every runner (admins), and a runner's jobs.

import type { JobEntity, RunnerEntity } from "@buildsim/core";
import type { HttpTransport } from "./http-transport.js";
import { V4 } from "./jobs-v4-api.js";
import { PagedList, type PageOptions } from "./paged-list.js";

export interface ListRunnersOptions extends PageOptions {
  /** `online`, `offline`, `never_contacted`, `stale`, `active` or `paused`. */
  status?: string;
}

export interface ListRunnerJobsOptions extends PageOptions {
  /** `running` (default), `success`, `failed` or `canceled`. */
  status?: "running" | "success" | "failed" | "canceled";
}

/** `client.v4.runners` */
export interface RunnersV4Api {
  /** `GET /runners`: runners of the caller's projects. */
  list(options?: ListRunnersOptions): PagedList<RunnerEntity>;
  /** `GET /runners/all`: every runner (administrators only). */
  listAll(options?: ListRunnersOptions): PagedList<RunnerEntity>;
  /** `GET /runners/:id/jobs` */
  jobs(runnerId: number, options?: ListRunnerJobsOptions): PagedList<JobEntity>;
}

/** Creates `client.v4.runners` over a transport. */
export function createRunnersV4Api(transport: HttpTransport): RunnersV4Api {
  return {
    list: (options) =>
      new PagedList(transport, { path: `${V4}/runners`, query: { status: options?.status } }, options),
    listAll: (options) =>
      new PagedList(transport, { path: `${V4}/runners/all`, query: { status: options?.status } }, options),
    jobs: (runnerId, options) =>
      new PagedList(
        transport,
        { path: `${V4}/runners/${runnerId}/jobs`, query: { status: options?.status } },
        options,
      ),
  };
}
