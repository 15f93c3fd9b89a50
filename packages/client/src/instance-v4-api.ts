// GitLab's v4 instance-level reads buildsim serves: the current user, the version, and projects.

import type { ProjectEntity, UserEntityV4, VersionEntity } from "@buildsim/core";
import type { CallOptions, ProjectRef } from "./api-options.js";
import type { HttpTransport } from "./http-transport.js";
import { V4 } from "./jobs-v4-api.js";
import { PagedList, type PageOptions } from "./paged-list.js";
import { encodeProjectId } from "./query-string.js";

/** `client.v4.projects` */
export interface ProjectsV4Api {
  /** `GET /projects/:id` (numeric id or `namespace/path`). */
  get(project: ProjectRef, options?: CallOptions): Promise<ProjectEntity>;
  /** `GET /projects`: the projects the caller can see (anonymous: public ones), newest first. */
  list(options?: PageOptions): PagedList<ProjectEntity>;
}

/** The v4 reads that are not under a project's jobs or pipelines. */
export interface InstanceV4Api {
  /** `GET /user`: who the token belongs to (python-gitlab's CLI calls this first). */
  user(options?: CallOptions): Promise<UserEntityV4>;
  /** `GET /version` */
  version(options?: CallOptions): Promise<VersionEntity>;
  projects: ProjectsV4Api;
}

/** Creates the instance-level v4 methods over a transport. */
export function createInstanceV4Api(transport: HttpTransport): InstanceV4Api {
  const get = async <T>(path: string, options?: CallOptions) =>
    (await transport.request<T>({ method: "GET", path, signal: options?.signal })).data;
  return {
    user: (options) => get<UserEntityV4>(`${V4}/user`, options),
    version: (options) => get<VersionEntity>(`${V4}/version`, options),
    projects: {
      get: (project, options) => get<ProjectEntity>(`${V4}/projects/${encodeProjectId(project)}`, options),
      list: (options) => new PagedList(transport, { path: `${V4}/projects`, query: {} }, options),
    },
  };
}
