// The typed client: v3 builds, v4 jobs/pipelines/projects/user/version, and live traces, over one transport.

import type { UserEntityV4, VersionEntity } from "@buildsim/core";
import type { CallOptions, ProjectRef } from "./api-options.js";
import { sleep as defaultSleep } from "./backoff.js";
import { type BuildsV3Api, createBuildsV3Api } from "./builds-v3-api.js";
import { type BuildsimApi, createBuildsimApi } from "./buildsim-api.js";
import { type CommitsV4Api, createCommitsV4Api } from "./commits-v4-api.js";
import { createHttpTransport, type HttpTransport, type HttpTransportOptions } from "./http-transport.js";
import { createInstanceV4Api, type ProjectsV4Api } from "./instance-v4-api.js";
import { createJobsV4Api, type JobsV4Api } from "./jobs-v4-api.js";
import { createPipelinesV4Api, type PipelinesV4Api } from "./pipelines-v4-api.js";
import { createRunnersV4Api, type RunnersV4Api } from "./runners-v4-api.js";
import {
  type ProjectEvent,
  type WatchProjectEventsOptions,
  watchProjectEvents,
} from "./watch-project-events.js";
import { type TraceEvent, type WatchTraceOptions, watchTrace } from "./watch-trace.js";
import { resolveWebSocketFactory, type WebSocketFactoryOptions } from "./web-socket-factory.js";

/** Everything `createClient` accepts: where, who, and the outside world (fetch, WebSocket, sleep). */
export interface ClientOptions extends HttpTransportOptions, WebSocketFactoryOptions {}

/** `client.v4` */
export interface V4Api {
  /** Commit statuses: what external CI tools report on a commit. */
  commits: CommitsV4Api;
  jobs: JobsV4Api;
  pipelines: PipelinesV4Api;
  projects: ProjectsV4Api;
  runners: RunnersV4Api;
  /** `GET /api/v4/user` */
  user(options?: CallOptions): Promise<UserEntityV4>;
  /** `GET /api/v4/version` */
  version(options?: CallOptions): Promise<VersionEntity>;
}

/** The client `createClient` returns. */
export interface Client {
  v3: { builds: BuildsV3Api };
  v4: V4Api;
  /** buildsim's own reads (needs graph, job variables); a real GitLab answers them 404. */
  buildsim: BuildsimApi;
  /**
   * Follows a build's trace: `chunk` events with exact byte offsets, `status` changes, then one `end`.
   * Reconnects and resumes without loss or duplicates; polls the v4 API against a real GitLab.
   */
  watchTrace(
    project: ProjectRef,
    buildId: number,
    options?: WatchTraceOptions,
  ): AsyncGenerator<TraceEvent, void, undefined>;
  /**
   * Follows a project's job and pipeline changes (buildsim's events socket): `connected` on every
   * (re)connect, then `job`/`pipeline` events. Refetch on `connected`; events are not replayed.
   */
  watchProjectEvents(
    project: ProjectRef,
    options?: WatchProjectEventsOptions,
  ): AsyncGenerator<ProjectEvent, void, undefined>;
  /** The HTTP layer, for requests this client has no method for. */
  transport: HttpTransport;
}

/**
 * Creates a client for a buildsim server or a real GitLab.
 *
 * @example
 * const client = createClient({ baseUrl: "http://127.0.0.1:8080", token: "secret" });
 * const build = await client.v3.builds.get(1, 7);
 * for await (const job of client.v4.jobs.list(1, { scope: ["failed"] })) console.log(job.id);
 */
export function createClient(options: ClientOptions): Client {
  const transport = createHttpTransport(options);
  const jobs = createJobsV4Api(transport);
  const instance = createInstanceV4Api(transport);
  const webSockets = resolveWebSocketFactory(options);
  const sleep = options.sleep ?? defaultSleep;
  const traceContext = {
    baseUrl: transport.baseUrl,
    token: options.token,
    transport,
    jobs,
    webSockets,
    sleep,
  };
  return {
    v3: { builds: createBuildsV3Api(transport) },
    v4: {
      commits: createCommitsV4Api(transport),
      jobs,
      pipelines: createPipelinesV4Api(transport),
      projects: instance.projects,
      runners: createRunnersV4Api(transport),
      user: instance.user,
      version: instance.version,
    },
    buildsim: createBuildsimApi(transport),
    watchTrace: (project, buildId, watchOptions) => watchTrace(traceContext, project, buildId, watchOptions),
    watchProjectEvents: (project, eventOptions) => watchProjectEvents(traceContext, project, eventOptions),
    transport,
  };
}
