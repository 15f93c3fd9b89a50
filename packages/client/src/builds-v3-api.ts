// GitLab's v3 Builds API (`/api/v3`), one typed method per endpoint buildsim serves.

import type { BuildEntityV3 } from "@buildsim/core";
import type { CallOptions, JobScope, ProjectRef } from "./api-options.js";
import type { HttpTransport } from "./http-transport.js";
import { PagedList, type PageOptions } from "./paged-list.js";
import { encodeProjectId } from "./query-string.js";

export interface ListBuildsOptions extends PageOptions {
  /** Statuses to keep: `pending`, `running`, `failed`, `success`, `canceled`. */
  scope?: JobScope;
}

/** `client.v3.builds` */
export interface BuildsV3Api {
  /** `GET /projects/:id/builds`, newest first. */
  list(project: ProjectRef, options?: ListBuildsOptions): PagedList<BuildEntityV3>;
  /** `GET /projects/:id/repository/commits/:sha/builds` */
  listForCommit(project: ProjectRef, sha: string, options?: ListBuildsOptions): PagedList<BuildEntityV3>;
  /** `GET /projects/:id/builds/:build_id` */
  get(project: ProjectRef, buildId: number, options?: CallOptions): Promise<BuildEntityV3>;
  /** `GET /projects/:id/builds/:build_id/artifacts`: the archive's bytes. */
  artifacts(project: ProjectRef, buildId: number, options?: CallOptions): Promise<Uint8Array>;
  /** `GET /projects/:id/builds/artifacts/:ref_name/download?job=`: latest successful pipeline's archive. */
  artifactsForRef(project: ProjectRef, ref: string, job: string, options?: CallOptions): Promise<Uint8Array>;
  /** `GET /projects/:id/builds/:build_id/trace`: the raw log, ANSI codes included. */
  trace(project: ProjectRef, buildId: number, options?: CallOptions): Promise<string>;
  /** `POST …/cancel` (201; a finished build comes back unchanged). */
  cancel(project: ProjectRef, buildId: number, options?: CallOptions): Promise<BuildEntityV3>;
  /** `POST …/retry`: the NEW build (new id, `pending`). */
  retry(project: ProjectRef, buildId: number, options?: CallOptions): Promise<BuildEntityV3>;
  /** `POST …/erase`: removes trace and artifacts of a complete build. */
  erase(project: ProjectRef, buildId: number, options?: CallOptions): Promise<BuildEntityV3>;
  /** `POST …/play`: starts a manual build. */
  play(project: ProjectRef, buildId: number, options?: CallOptions): Promise<BuildEntityV3>;
  /** `POST …/artifacts/keep`: clears the artifacts' expiry. */
  keepArtifacts(project: ProjectRef, buildId: number, options?: CallOptions): Promise<BuildEntityV3>;
}

const V3 = "/api/v3";

/** Creates `client.v3.builds` over a transport. */
export function createBuildsV3Api(transport: HttpTransport): BuildsV3Api {
  const builds = (project: ProjectRef) => `${V3}/projects/${encodeProjectId(project)}/builds`;
  const get = async <T>(path: string, responseType: "json" | "text" | "bytes", options?: CallOptions) =>
    (await transport.request<T>({ method: "GET", path, responseType, signal: options?.signal })).data;
  const post = async (path: string, options?: CallOptions) =>
    (await transport.request<BuildEntityV3>({ method: "POST", path, signal: options?.signal })).data;
  // v3 reads `scope[0]=` (8.17 rejects `scope[]=`); a single scope goes as the plain string.
  const listQuery = (options?: ListBuildsOptions) => ({ scope: options?.scope });

  return {
    list: (project, options) =>
      new PagedList(
        transport,
        { path: builds(project), query: listQuery(options), arrayFormat: "indices" },
        options,
      ),
    listForCommit: (project, sha, options) =>
      new PagedList(
        transport,
        {
          path: `${V3}/projects/${encodeProjectId(project)}/repository/commits/${encodeURIComponent(sha)}/builds`,
          query: listQuery(options),
          arrayFormat: "indices",
        },
        options,
      ),
    get: (project, buildId, options) => get(`${builds(project)}/${buildId}`, "json", options),
    artifacts: (project, buildId, options) =>
      get(`${builds(project)}/${buildId}/artifacts`, "bytes", options),
    artifactsForRef: async (project, ref, job, options) =>
      (
        await transport.request<Uint8Array>({
          method: "GET",
          path: `${builds(project)}/artifacts/${encodeURIComponent(ref)}/download`,
          query: { job },
          responseType: "bytes",
          signal: options?.signal,
        })
      ).data,
    trace: (project, buildId, options) => get(`${builds(project)}/${buildId}/trace`, "text", options),
    cancel: (project, buildId, options) => post(`${builds(project)}/${buildId}/cancel`, options),
    retry: (project, buildId, options) => post(`${builds(project)}/${buildId}/retry`, options),
    erase: (project, buildId, options) => post(`${builds(project)}/${buildId}/erase`, options),
    play: (project, buildId, options) => post(`${builds(project)}/${buildId}/play`, options),
    keepArtifacts: (project, buildId, options) =>
      post(`${builds(project)}/${buildId}/artifacts/keep`, options),
  };
}
