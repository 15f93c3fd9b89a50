// @buildsim/client: one typed client for GitLab's v3 Builds and v4 Jobs APIs and buildsim's live trace stream.
// Named exports only, listed explicitly.

// The backoff is core's, the same for HTTP retries, trace reconnects and runner reconnects.
export type { BackoffOptions } from "@buildsim/core";
export { backoffDelayMs } from "@buildsim/core";
export type { CallOptions, JobScope, ProjectRef } from "./api-options.js";
export type { SleepFn } from "./backoff.js";
export { parseRetryAfterMs, sleep } from "./backoff.js";
export { decodeBase64, encodeBase64 } from "./base64.js";
export type { BuildsV3Api, ListBuildsOptions } from "./builds-v3-api.js";
export { createBuildsV3Api } from "./builds-v3-api.js";
export type { BuildsimApi } from "./buildsim-api.js";
export type { ClientErrorCode, ClientErrorInit } from "./client-error.js";
export {
  ClientError,
  codeForStatus,
  isClientError,
  parseErrorMessage,
  STATUS_TO_CODE,
} from "./client-error.js";
export type {
  CommitsV4Api,
  ListCommitStatusesOptions,
  SetCommitStatusOptions,
} from "./commits-v4-api.js";
export { createCommitsV4Api } from "./commits-v4-api.js";
export type { Client, ClientOptions, V4Api } from "./create-client.js";
export { createClient } from "./create-client.js";
export type {
  FetchFn,
  FetchInit,
  FetchResponse,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  HttpTransport,
  HttpTransportOptions,
  ResponseHeaders,
  ResponseType,
  RetryOptions,
} from "./http-transport.js";
export {
  createHttpTransport,
  DEFAULT_MAX_RETRIES,
  DEFAULT_RETRY_STATUSES,
  DEFAULT_TIMEOUT_MS,
} from "./http-transport.js";
export type { InstanceV4Api, ProjectsV4Api } from "./instance-v4-api.js";
export type { JobsV4Api, ListJobsOptions, ListPipelineJobsOptions } from "./jobs-v4-api.js";
export { createJobsV4Api } from "./jobs-v4-api.js";
export type { ListRequest, Page, PageOptions, Pagination } from "./paged-list.js";
export { PagedList, parseLinkHeader, parsePagination } from "./paged-list.js";
export type {
  CreatePipelineOptions,
  ListPipelinesOptions,
  PipelinesV4Api,
  PipelineVariable,
} from "./pipelines-v4-api.js";
export type { ArrayFormat, QueryParams, QueryValue } from "./query-string.js";
export { buildQueryString } from "./query-string.js";
export type { RegisteredRunner, RegisterRunnerOptions } from "./register-runner.js";
export { registerRunner } from "./register-runner.js";
export {
  type BuildOutcome,
  createRunnerConnection,
  RunnerConnection,
  RunnerConnectionError,
  type RunnerConnectionErrorCode,
  type RunnerConnectionOptions,
  type RunnerSocket,
  type RunnerSocketConstructor,
} from "./runner-connection.js";
export { isServerUrl, RunnerServerUrls } from "./runner-server-urls.js";
export type { ListRunnerJobsOptions, ListRunnersOptions, RunnersV4Api } from "./runners-v4-api.js";
export type { SocketEvent } from "./socket-event-queue.js";
export { SocketEventQueue } from "./socket-event-queue.js";
export type { ProjectEvent, WatchProjectEventsOptions } from "./watch-project-events.js";
export type { TraceEvent, TraceReconnectOptions, WatchTraceOptions } from "./watch-trace.js";
export type {
  ResolvedWebSocketFactory,
  WebSocketConstructorLike,
  WebSocketFactory,
  WebSocketFactoryOptions,
  WebSocketLike,
} from "./web-socket-factory.js";
export { resolveWebSocketFactory } from "./web-socket-factory.js";
