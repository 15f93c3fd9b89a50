// Every WebSocket message between buildsim's server, its runners and trace watchers, as schemas grouped by
// direction; the TypeScript types are derived from them. The sequence diagrams and the rules of the
// protocol are in docs/runner-protocol.md (the one copy); `parse-wire-message.ts` reads untrusted frames.
// JSON text frames; trace bytes travel base64-encoded so offsets count exact bytes.

import { type Static, Type } from "@sinclair/typebox";
import { JobCacheSchema, JobImageSchema, JobServiceSchema } from "./job-run-spec.js";
import { Base64, Count, Id, LiteralUnion, Nullable } from "./schema-helpers.js";
import { BuildStatusSchema, FailureReasonSchema } from "./status.js";

export const PROTOCOL_VERSION = 1;

export const RUNNER_WS_PATH = "/-/buildsim/runner";
export const TRACE_WS_PATH = "/-/buildsim/trace";
export const EVENTS_WS_PATH = "/-/buildsim/events";

/**
 * Why the server tells a runner to stop a build: canceled through the API, past its timeout, or deleted
 * with its pipeline (the server no longer holds it: no trace or finish for it is taken any more).
 */
export const CANCEL_REASONS = ["canceled", "timeout", "deleted"] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

const StepWhen = LiteralUnion(["on_success", "on_failure", "always"]);

/** One step of a job's script, as GitLab's job payload has them. */
export const JobStepSchema = Type.Object({
  name: LiteralUnion(["script", "after_script"]),
  script: Type.Array(Type.String()),
  timeoutS: Type.Number(),
  when: StepWhen,
  allowFailure: Type.Boolean(),
});
export type JobStep = Static<typeof JobStepSchema>;

/** GitLab's runner variable: `{key, value, public, masked, file, raw}`. */
export const JobVariableSchema = Type.Object({
  key: Type.String(),
  value: Type.String(),
  public: Type.Boolean(),
  /** The runner shows `[MASKED]` for it (the server masks traces too). */
  masked: Type.Optional(Type.Boolean()),
  /** The runner writes the value to a temporary file and sets the variable to the file's path. */
  file: Type.Optional(Type.Boolean()),
  /** Never expanded by the runner. */
  raw: Type.Optional(Type.Boolean()),
});
export type JobVariable = Static<typeof JobVariableSchema>;

export const JobArtifactsSpecSchema = Type.Object({
  name: Nullable(Type.String()),
  paths: Type.Array(Type.String()),
  exclude: Type.Array(Type.String()),
  when: StepWhen,
  expireIn: Nullable(Type.String()),
  /** `artifacts:untracked: true`: the files the job made (not among its sources) are uploaded too. */
  untracked: Type.Optional(Type.Boolean()),
  /** `artifacts:reports:dotenv` files; the runner reads them and reports their variables in `finish`. */
  reportsDotenv: Type.Optional(Type.Array(Type.String())),
  /** `artifacts:reports:junit` files; uploaded as the job's `junit` report whatever the job's outcome. */
  reportsJunit: Type.Optional(Type.Array(Type.String())),
});
export type JobArtifactsSpec = Static<typeof JobArtifactsSpecSchema>;

export const JobDependencySchema = Type.Object({
  id: Id(),
  name: Type.String(),
  /** The dependency's job token, for `GET /api/v4/jobs/:id/artifacts`. */
  token: Type.String(),
  artifactsFile: Nullable(Type.Object({ filename: Type.String(), size: Count() })),
});
export type JobDependency = Static<typeof JobDependencySchema>;

/** Everything a runner needs to run one build. */
export const JobPayloadSchema = Type.Object({
  id: Id(),
  /** Job token: authenticates artifact upload and dependency downloads; masked in the trace. */
  token: Type.String(),
  name: Type.String(),
  stage: Type.String(),
  projectId: Id(),
  projectPath: Type.String(),
  ref: Type.String(),
  refType: LiteralUnion(["branch", "tag"]),
  sha: Type.String(),
  beforeSha: Nullable(Type.String()),
  timeoutS: Type.Number(),
  /** before_script + script, then after_script. */
  steps: Type.Array(JobStepSchema),
  /** GitLab's predefined `CI_*` variables first, then project, pipeline and job variables. */
  variables: Type.Array(JobVariableSchema),
  artifacts: Nullable(JobArtifactsSpecSchema),
  dependencies: Type.Array(JobDependencySchema),
  /** `allow_failure: exit_codes`. */
  allowFailureExitCodes: Type.Array(Type.Integer()),
  image: Nullable(JobImageSchema),
  services: Type.Array(JobServiceSchema),
  /** `cache:` entries; keys still hold the job's variables, which the runner expands (as Runner does). */
  cache: Type.Array(JobCacheSchema),
  /** Where a local-CI job finds its sources (the repository's work tree), when the server knows it. */
  sourceDir: Nullable(Type.String()),
});
export type JobPayload = Static<typeof JobPayloadSchema>;

// ---------------------------------------------------------------------------------------------------
// Runner → server

export const HelloMessageSchema = Type.Object({
  type: Type.Literal("hello"),
  protocol: Type.Integer(),
  token: Type.String(),
  name: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  executor: Type.Optional(Type.String()),
  /** The runner's tags; the server hands it only builds whose tags are all among them. */
  tags: Type.Optional(Type.Array(Type.String())),
});
export type HelloMessage = Static<typeof HelloMessageSchema>;

export const ClaimMessageSchema = Type.Object({
  type: Type.Literal("claim"),
  requestId: Type.String(),
  /**
   * Long poll: when nothing is pending, the server holds the claim up to this long and answers `job` as
   * soon as a matching build is queued, else `noJob`. Absent or 0: answer at once.
   */
  waitMs: Type.Optional(Count()),
});
export type ClaimMessage = Static<typeof ClaimMessageSchema>;

export const TraceMessageSchema = Type.Object({
  type: Type.Literal("trace"),
  buildId: Id(),
  /** Byte offset of `data`'s first byte in the build's trace. */
  offset: Count(),
  /** Base64 of the bytes. */
  data: Base64(),
});
export type TraceMessage = Static<typeof TraceMessageSchema>;

export const HeartbeatMessageSchema = Type.Object({
  type: Type.Literal("heartbeat"),
  buildIds: Type.Array(Id()),
});
export type HeartbeatMessage = Static<typeof HeartbeatMessageSchema>;

export const FinishMessageSchema = Type.Object({
  type: Type.Literal("finish"),
  buildId: Id(),
  state: LiteralUnion(["success", "failed"]),
  exitCode: Type.Optional(Nullable(Type.Integer())),
  failureReason: Type.Optional(FailureReasonSchema),
  /** Total trace bytes the runner produced; the server finishes only once it holds them all. */
  traceBytes: Count(),
  /** Variables from the job's `artifacts:reports:dotenv` files (GitLab hands them to later jobs). */
  dotenvVariables: Type.Optional(
    Type.Array(
      Type.Object({ key: Type.String({ pattern: "^[A-Za-z_][A-Za-z0-9_]*$" }), value: Type.String() }),
    ),
  ),
});
export type FinishMessage = Static<typeof FinishMessageSchema>;

/**
 * The runner does not hold a build the server lists as its own (welcome's `resume`): the `job` answer to
 * its claim was lost. With no trace byte stored, the build goes back to the queue; otherwise it fails
 * with `runner_system_failure` (it ran, and the runner lost it).
 */
export const ReleaseMessageSchema = Type.Object({
  type: Type.Literal("release"),
  buildId: Id(),
});
export type ReleaseMessage = Static<typeof ReleaseMessageSchema>;

/** Runner → server, by `type`. */
export const RUNNER_TO_SERVER_SCHEMAS = {
  hello: HelloMessageSchema,
  claim: ClaimMessageSchema,
  trace: TraceMessageSchema,
  heartbeat: HeartbeatMessageSchema,
  finish: FinishMessageSchema,
  release: ReleaseMessageSchema,
} as const;
export type RunnerToServerMessage = Static<
  (typeof RUNNER_TO_SERVER_SCHEMAS)[keyof typeof RUNNER_TO_SERVER_SCHEMAS]
>;

// ---------------------------------------------------------------------------------------------------
// Server → runner

export const WelcomeMessageSchema = Type.Object({
  type: Type.Literal("welcome"),
  protocol: Type.Integer(),
  runnerId: Id(),
  heartbeatIntervalMs: Count(),
  /** Builds this runner still owns (after a reconnect), with the trace length the server holds. */
  resume: Type.Array(Type.Object({ buildId: Id(), traceBytes: Count(), status: BuildStatusSchema })),
});
export type WelcomeMessage = Static<typeof WelcomeMessageSchema>;

export const JobMessageSchema = Type.Object({
  type: Type.Literal("job"),
  requestId: Type.String(),
  job: JobPayloadSchema,
});
export type JobMessage = Static<typeof JobMessageSchema>;

export const NoJobMessageSchema = Type.Object({ type: Type.Literal("noJob"), requestId: Type.String() });
export type NoJobMessage = Static<typeof NoJobMessageSchema>;

export const TraceAckMessageSchema = Type.Object({
  type: Type.Literal("traceAck"),
  buildId: Id(),
  /** Bytes persisted. The runner may forget everything below; a runner ahead of it resends from here. */
  length: Count(),
});
export type TraceAckMessage = Static<typeof TraceAckMessageSchema>;

export const CancelMessageSchema = Type.Object({
  type: Type.Literal("cancel"),
  buildId: Id(),
  reason: LiteralUnion(CANCEL_REASONS),
});
export type CancelMessage = Static<typeof CancelMessageSchema>;

export const FinishAckMessageSchema = Type.Object({
  type: Type.Literal("finishAck"),
  buildId: Id(),
  status: BuildStatusSchema,
});
export type FinishAckMessage = Static<typeof FinishAckMessageSchema>;

/**
 * A message the server could not act on; `code` is stable (`PROTOCOL_ERROR`, `NOT_YOUR_BUILD`, `INTERNAL`).
 * `buildId` names the build a failed `trace` or `finish` was about: after `INTERNAL` (the server could not
 * store it, e.g. its database was unreachable) the runner sends that build's unacknowledged message again.
 */
export const ErrorMessageSchema = Type.Object({
  type: Type.Literal("error"),
  code: Type.String(),
  message: Type.String(),
  buildId: Type.Optional(Id()),
});
export type ErrorMessage = Static<typeof ErrorMessageSchema>;

/** Server → runner, by `type`. */
export const SERVER_TO_RUNNER_SCHEMAS = {
  welcome: WelcomeMessageSchema,
  job: JobMessageSchema,
  noJob: NoJobMessageSchema,
  traceAck: TraceAckMessageSchema,
  cancel: CancelMessageSchema,
  finishAck: FinishAckMessageSchema,
  error: ErrorMessageSchema,
} as const;
export type ServerToRunnerMessage = Static<
  (typeof SERVER_TO_RUNNER_SCHEMAS)[keyof typeof SERVER_TO_RUNNER_SCHEMAS]
>;

// ---------------------------------------------------------------------------------------------------
// Server → watcher

export const ChunkMessageSchema = Type.Object({
  type: Type.Literal("chunk"),
  offset: Count(),
  /** Base64 of the bytes. */
  data: Base64(),
});
export type ChunkMessage = Static<typeof ChunkMessageSchema>;

export const StatusMessageSchema = Type.Object({ type: Type.Literal("status"), status: BuildStatusSchema });
export type StatusMessage = Static<typeof StatusMessageSchema>;

export const EndMessageSchema = Type.Object({
  type: Type.Literal("end"),
  status: BuildStatusSchema,
  /** Total trace length; a watcher holding fewer bytes missed some and should resume. */
  length: Count(),
});
export type EndMessage = Static<typeof EndMessageSchema>;

/** Server → watcher, by `type`. */
export const SERVER_TO_WATCHER_SCHEMAS = {
  chunk: ChunkMessageSchema,
  status: StatusMessageSchema,
  end: EndMessageSchema,
} as const;
export type ServerToWatcherMessage = Static<
  (typeof SERVER_TO_WATCHER_SCHEMAS)[keyof typeof SERVER_TO_WATCHER_SCHEMAS]
>;

// ---------------------------------------------------------------------------------------------------
// Server → project-events watcher (`/-/buildsim/events`)

/** Project events: a job changed. */
export const JobChangedEventSchema = Type.Object({
  type: Type.Literal("job"),
  id: Id(),
  pipeline_id: Id(),
  status: BuildStatusSchema,
});
export type JobChangedEvent = Static<typeof JobChangedEventSchema>;

/** Project events: a pipeline's status changed. */
export const PipelineChangedEventSchema = Type.Object({
  type: Type.Literal("pipeline"),
  id: Id(),
  status: BuildStatusSchema,
});
export type PipelineChangedEvent = Static<typeof PipelineChangedEventSchema>;

/** Server → project-events watcher, by `type`. */
export const SERVER_TO_EVENTS_WATCHER_SCHEMAS = {
  job: JobChangedEventSchema,
  pipeline: PipelineChangedEventSchema,
} as const;
export type ServerToEventsWatcherMessage = JobChangedEvent | PipelineChangedEvent;
