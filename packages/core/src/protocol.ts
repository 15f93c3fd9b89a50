// Every WebSocket message between buildsim's server, its runners and trace watchers, grouped by direction.
// JSON text frames; bytes of a trace travel base64-encoded so offsets count exact bytes.
//
// Runner ↔ server (`GET /-/buildsim/runner`, upgraded to WebSocket):
//
//   runner                                   server
//     |--- hello {token, protocol, tags} ------->|  runner token checked; 4401 close if unknown
//     |<-- welcome {runnerId, heartbeat…, resume}|  resume: builds still running on this runner
//     |--- claim {requestId, waitMs?} ---------->|  oldest matching pending build → running (one SQLite tx)
//     |<-- job {requestId, job} | noJob ---------|  parked up to waitMs until a build is queued
//     |--- trace {buildId, offset, data} ------->|  appended idempotently at `offset`
//     |<-- traceAck {buildId, length} -----------|  persisted length; runner drops bytes below it,
//     |                                          |  resends from `length` when it is behind (a gap);
//     |                                          |  exactly one ack per trace message, in order
//     |--- heartbeat {buildIds} ---------------->|  every heartbeatIntervalMs
//     |<-- cancel {buildId} ---------------------|  build canceled (API) or timed out: kill it now
//     |--- finish {buildId, state, exitCode…} -->|  after its last trace byte is acknowledged
//     |<-- finishAck {buildId, status} ----------|  status the build ended with (canceled wins)
//
// Watcher ↔ server (`GET /-/buildsim/trace?project=ID&build=ID&offset=N`, user token as for the API):
//
//   watcher                                  server
//     |<-- chunk {offset, data} -----------------|  stored bytes from `offset`, then live ones, in order
//     |<-- status {status} ----------------------|  each status change while watching
//     |<-- end {status, length} -----------------|  build complete; the server closes with 1000
//
// Project events (`GET /-/buildsim/events?project=ID`, user token as for the API, anonymous for public
// projects with public jobs): hints that something changed, so a page refetches it instead of polling.
//
//   page                                     server
//     |<-- job {id, pipeline_id, status} --------|  a job was created or changed (status, artifacts…)
//     |<-- pipeline {id, status} ----------------|  a pipeline's status was recomputed
//
// Events are not replayed: after a (re)connect a page refetches what it shows, then applies events.
//
// A watcher that falls more than `maxBufferedBytes` behind is closed with WATCHER_TOO_SLOW and resumes by
// reconnecting with `offset` = the bytes it has.

import type { JobCache, JobImage, JobService } from "./job-run-spec.js";
import type { BuildStatus, FailureReason, PipelineStatus } from "./status.js";

export const PROTOCOL_VERSION = 1;

export const RUNNER_WS_PATH = "/-/buildsim/runner";
export const TRACE_WS_PATH = "/-/buildsim/trace";
export const EVENTS_WS_PATH = "/-/buildsim/events";

/** Close codes (4000–4999 are ours). */
export const CLOSE_CODES = {
  /** Normal end: the build is complete, or the peer is shutting down. */
  NORMAL: 1000,
  /** The server is going away (restart); reconnect with backoff. */
  GOING_AWAY: 1001,
  /** A message that is not valid JSON or not a known message. */
  PROTOCOL_ERROR: 4000,
  /** Unknown or missing runner/user token. */
  UNAUTHORIZED: 4401,
  /** The user may not read this build's trace. */
  FORBIDDEN: 4403,
  /** No such project or build. */
  NOT_FOUND: 4404,
  /** The runner speaks another protocol version. */
  UNSUPPORTED_PROTOCOL: 4426,
  /** The watcher did not keep up; reconnect from the bytes you have. */
  WATCHER_TOO_SLOW: 4408,
} as const;

/** One step of a job's script, as GitLab's job payload has them. */
export interface JobStep {
  name: "script" | "after_script";
  script: string[];
  timeoutS: number;
  when: "on_success" | "on_failure" | "always";
  allowFailure: boolean;
}

export interface JobVariable {
  key: string;
  value: string;
  public: boolean;
}

export interface JobArtifactsSpec {
  name: string | null;
  paths: string[];
  exclude: string[];
  when: "on_success" | "on_failure" | "always";
  expireIn: string | null;
  /** `artifacts:reports:dotenv` files; the runner reads them and reports their variables in `finish`. */
  reportsDotenv?: string[];
}

export interface JobDependency {
  id: number;
  name: string;
  /** The dependency's job token, for `GET /api/v4/jobs/:id/artifacts`. */
  token: string;
  artifactsFile: { filename: string; size: number } | null;
}

/** Everything a runner needs to run one build. */
export interface JobPayload {
  id: number;
  /** Job token: authenticates artifact upload and dependency downloads; masked in the trace. */
  token: string;
  name: string;
  stage: string;
  projectId: number;
  projectPath: string;
  ref: string;
  refType: "branch" | "tag";
  sha: string;
  beforeSha: string | null;
  timeoutS: number;
  /** before_script + script, then after_script. */
  steps: JobStep[];
  /** GitLab's predefined `CI_*` variables first, then project, pipeline and job variables. */
  variables: JobVariable[];
  artifacts: JobArtifactsSpec | null;
  dependencies: JobDependency[];
  /** `allow_failure: exit_codes`. */
  allowFailureExitCodes: number[];
  image: JobImage | null;
  services: JobService[];
  /** `cache:` entries; keys still hold the job's variables, which the runner expands (as Runner does). */
  cache: JobCache[];
  /** Where a local-CI job finds its sources (the repository's work tree), when the server knows it. */
  sourceDir: string | null;
}

// ---------------------------------------------------------------------------------------------------
// Runner → server

export interface HelloMessage {
  type: "hello";
  protocol: number;
  token: string;
  name?: string;
  version?: string;
  executor?: string;
  /** The runner's tags; the server hands it only builds whose tags are all among them. */
  tags?: string[];
}
export interface ClaimMessage {
  type: "claim";
  requestId: string;
  /**
   * Long poll: when nothing is pending, the server holds the claim up to this long and answers `job` as
   * soon as a matching build is queued, else `noJob`. Absent or 0: answer at once.
   */
  waitMs?: number;
}
export interface TraceMessage {
  type: "trace";
  buildId: number;
  /** Byte offset of `data`'s first byte in the build's trace. */
  offset: number;
  /** Base64 of the bytes. */
  data: string;
}
export interface HeartbeatMessage {
  type: "heartbeat";
  buildIds: number[];
}
export interface FinishMessage {
  type: "finish";
  buildId: number;
  state: "success" | "failed";
  exitCode: number | null;
  failureReason?: FailureReason;
  /** Total trace bytes the runner produced; the server finishes only once it holds them all. */
  traceBytes: number;
  /** Variables from the job's `artifacts:reports:dotenv` files (GitLab hands them to later jobs). */
  dotenvVariables?: Array<{ key: string; value: string }>;
}

export type RunnerToServerMessage =
  | HelloMessage
  | ClaimMessage
  | TraceMessage
  | HeartbeatMessage
  | FinishMessage;

// ---------------------------------------------------------------------------------------------------
// Server → runner

export interface WelcomeMessage {
  type: "welcome";
  protocol: number;
  runnerId: number;
  heartbeatIntervalMs: number;
  /** Builds this runner still owns (after a reconnect), with the trace length the server holds. */
  resume: Array<{ buildId: number; traceBytes: number; status: BuildStatus }>;
}
export interface JobMessage {
  type: "job";
  requestId: string;
  job: JobPayload;
}
export interface NoJobMessage {
  type: "noJob";
  requestId: string;
}
export interface TraceAckMessage {
  type: "traceAck";
  buildId: number;
  /** Bytes persisted. The runner may forget everything below; a runner ahead of it resends from here. */
  length: number;
}
export interface CancelMessage {
  type: "cancel";
  buildId: number;
  reason: "canceled" | "timeout";
}
export interface FinishAckMessage {
  type: "finishAck";
  buildId: number;
  status: BuildStatus;
}
export interface ErrorMessage {
  type: "error";
  code: string;
  message: string;
}

export type ServerToRunnerMessage =
  | WelcomeMessage
  | JobMessage
  | NoJobMessage
  | TraceAckMessage
  | CancelMessage
  | FinishAckMessage
  | ErrorMessage;

// ---------------------------------------------------------------------------------------------------
// Server → watcher

export interface ChunkMessage {
  type: "chunk";
  offset: number;
  /** Base64 of the bytes. */
  data: string;
}
export interface StatusMessage {
  type: "status";
  status: BuildStatus;
}
export interface EndMessage {
  type: "end";
  status: BuildStatus;
  /** Total trace length; a watcher holding fewer bytes missed some and should resume. */
  length: number;
}

export type ServerToWatcherMessage = ChunkMessage | StatusMessage | EndMessage;

/** Project events: a job changed. */
export interface JobChangedEvent {
  type: "job";
  id: number;
  pipeline_id: number;
  status: BuildStatus;
}
/** Project events: a pipeline's status changed. */
export interface PipelineChangedEvent {
  type: "pipeline";
  id: number;
  status: PipelineStatus;
}

export type ServerToEventsWatcherMessage = JobChangedEvent | PipelineChangedEvent;
