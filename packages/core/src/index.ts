// @buildsim/core: GitLab's build domain — statuses, the build state machine, pipeline rules, wire types.
// Named exports only, listed explicitly.

export type {
  ApiErrorBody,
  ArtifactsFileEntity,
  BridgeEntity,
  BuildEntityV3,
  CommitEntityV3,
  CommitEntityV4,
  JobArtifactEntity,
  JobBasicEntity,
  JobEntity,
  JobNeedsEntity,
  JobVariableEntity,
  PipelineBasicEntity,
  PipelineEntity,
  PipelineJobEntity,
  PipelineJobsEntity,
  ProjectEntity,
  ProtectedBranchEntity,
  ProtectedRefAccessEntity,
  RunnerEntity,
  UserEntityV3,
  UserEntityV4,
  VariableEntity,
  VersionEntity,
} from "./api-entities.js";
export {
  ApiErrorBodySchema,
  ArtifactsFileEntitySchema,
  BridgeEntitySchema,
  BuildEntityV3Schema,
  CommitEntityV3Schema,
  CommitEntityV4Schema,
  JobArtifactEntitySchema,
  JobBasicEntitySchema,
  JobEntitySchema,
  JobNeedsEntitySchema,
  JobVariableEntitySchema,
  PipelineBasicEntitySchema,
  PipelineEntitySchema,
  PipelineJobEntitySchema,
  PipelineJobsEntitySchema,
  ProjectEntitySchema,
  ProtectedBranchEntitySchema,
  ProtectedRefAccessEntitySchema,
  RunnerEntitySchema,
  UserEntityV3Schema,
  UserEntityV4Schema,
  VersionEntitySchema,
} from "./api-entities.js";
export {
  CreatePipelineParamsSchema,
  JobTokenParamsSchema,
  PageParamsSchema,
  PipelineListParamsSchema,
  RegisteredRunnerSchema,
  RegisterRunnerParamsSchema,
  RunnerTokenParamsSchema,
  UploadArtifactsParamsSchema,
  V3BuildListParamsSchema,
  V4BridgeListParamsSchema,
  V4JobListParamsSchema,
} from "./api-params.js";
export type { BuildTransition } from "./apply-build-event.js";
export { applyBuildEvent } from "./apply-build-event.js";
export type { BackoffOptions } from "./backoff.js";
export { backoffDelayMs, DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS } from "./backoff.js";
export { bridgeEventForDownstream } from "./bridge-status.js";
export type { BuildEvent, BuildEventType, DownstreamOutcome } from "./build-events.js";
export { BUILD_EVENT_TYPES } from "./build-events.js";
export {
  buildDuration,
  buildQueuedDuration,
  hasArtifacts,
  hasTrace,
  isActive,
  isCancelable,
  isErasable,
  isErased,
  isPlayable,
  isRetryable,
} from "./build-guards.js";
export type { BuildMachineAction, BuildMachineContext } from "./build-machine.js";
export { buildMachine } from "./build-machine.js";
export type { Clock } from "./clock.js";
export { sleep, systemClock } from "./clock.js";
export type { CloseCodeMeaning, CloseReaction, FatalCloseName } from "./close-codes.js";
export { CLOSE_CODE_TABLE, CLOSE_CODES, closeCodeMeaning } from "./close-codes.js";
export type { CommitStatusEntity } from "./commit-status-entity.js";
export { CommitStatusEntitySchema } from "./commit-status-entity.js";
export type { ControlInput, JournalEntry, RequestMatcher, VerifyCount } from "./contract-controls.js";
export {
  createControlInputParser,
  JournalEntrySchema,
  parseRequestMatcher,
  parseVerifyCount,
  RequestMatcherSchema,
  VerifyCountSchema,
} from "./contract-controls.js";
export type { ClockMove, ClockState } from "./controllable-clock.js";
export { ControllableClock } from "./controllable-clock.js";
export type {
  AccessLevel,
  AccessRole,
  ArtifactsFile,
  Build,
  BuildArtifactsOptions,
  BuildCrossDependency,
  BuildEnvironment,
  BuildTrigger,
  BuildVariable,
  Commit,
  DeploymentTier,
  EnvironmentAction,
  ExternalStatus,
  Pipeline,
  Project,
  ProjectMember,
  ProjectVariable,
  ProtectedAccessLevel,
  ProtectedBranch,
  ResourceGroupProcessMode,
  Runner,
  Timestamp,
  TraceMeta,
  TriggerStrategy,
  User,
  Visibility,
} from "./domain.js";
export {
  ACCESS_LEVELS,
  DEPLOYMENT_TIERS,
  ENVIRONMENT_ACTIONS,
  PROTECTED_ACCESS_LEVELS,
  RESOURCE_GROUP_PROCESS_MODES,
  TRIGGER_STRATEGIES,
} from "./domain.js";
export { parseDurationS } from "./duration.js";
export type {
  Deployment,
  DeploymentEntity,
  DeploymentStatus,
  Environment,
  EnvironmentEntity,
  EnvironmentState,
} from "./environments.js";
export { deploymentStatusFor, environmentSlug, guessDeploymentTier } from "./environments.js";
export type { FaultEffect, FaultRule } from "./fault-rules.js";
export { FAULT_EFFECT_SCHEMAS, FaultRuleSchema, parseFaultRule } from "./fault-rules.js";
export type {
  BuildRunSpec,
  JobCache,
  JobCacheKey,
  JobImage,
  JobService,
  PullPolicy,
} from "./job-run-spec.js";
export {
  JobCacheKeySchema,
  JobCacheSchema,
  JobImageSchema,
  JobServiceSchema,
  PullPolicySchema,
} from "./job-run-spec.js";
export type { JobOutcome, JobScript, ScriptArtifacts } from "./job-scripts.js";
export {
  JobOutcomeSchema,
  JobScriptSchema,
  parseJobOutcome,
  parseJobScript,
  parseScriptArtifacts,
  ScriptArtifactsSchema,
} from "./job-scripts.js";
export type { LinkFaultEffect, LinkFaultRule } from "./link-fault-rules.js";
export { LINK_RUNNER_MESSAGES, LinkFaultRuleSchema, parseLinkFaultRule } from "./link-fault-rules.js";
export type { NewBuildFields } from "./new-build.js";
export { newBuild } from "./new-build.js";
export type { NewPipelineFields } from "./new-pipeline.js";
export { newPipeline } from "./new-pipeline.js";
export type { NewUserFields } from "./new-user.js";
export { newUser } from "./new-user.js";
export type { ParseResult } from "./parse-wire-message.js";
export {
  parseRunnerToServerMessage,
  parseServerToEventsWatcherMessage,
  parseServerToRunnerMessage,
  parseServerToWatcherMessage,
} from "./parse-wire-message.js";
export {
  compositeStatus,
  computePipelineStatus,
  latestBuilds,
  nextPipeline,
  pipelineWithStatus,
} from "./pipeline-status.js";
export type { PipelineTrigger, TriggerEntity } from "./pipeline-trigger.js";
export { shortTriggerToken, TRIGGER_TOKEN_PREFIX, TriggerEntitySchema } from "./pipeline-trigger.js";
export type { ProcessDecision } from "./process-pipeline.js";
export { decideCreatedBuild, isPriorComplete, processPipeline } from "./process-pipeline.js";
export type {
  CancelMessage,
  CancelReason,
  ChunkMessage,
  ClaimMessage,
  EndMessage,
  ErrorMessage,
  FinishAckMessage,
  FinishMessage,
  HeartbeatMessage,
  HelloMessage,
  JobArtifactsSpec,
  JobChangedEvent,
  JobDependency,
  JobMessage,
  JobPayload,
  JobStep,
  JobVariable,
  NoJobMessage,
  PipelineChangedEvent,
  ReleaseMessage,
  RunnerToServerMessage,
  ServerToEventsWatcherMessage,
  ServerToRunnerMessage,
  ServerToWatcherMessage,
  StatusMessage,
  TraceAckMessage,
  TraceMessage,
  WelcomeMessage,
} from "./protocol.js";
export {
  CANCEL_REASONS,
  EVENTS_WS_PATH,
  JobPayloadSchema,
  PROTOCOL_VERSION,
  RUNNER_TO_SERVER_SCHEMAS,
  RUNNER_WS_PATH,
  SERVER_TO_RUNNER_SCHEMAS,
  SERVER_TO_WATCHER_SCHEMAS,
  TRACE_WS_PATH,
} from "./protocol.js";
export type { RetryOptions } from "./retry-build.js";
export { reopenAfterRetry, retryBuild, shouldAutoRetry } from "./retry-build.js";
export { Count, Id, LiteralUnion, Nullable } from "./schema-helpers.js";
export type { BuildStatus, BuildWhen, FailureReason, PipelineStatus } from "./status.js";
export {
  ACTIVE_STATUSES,
  BUILD_STATUSES,
  BUILD_WHEN,
  BuildStatusSchema,
  CANCELABLE_STATUSES,
  COMPLETED_STATUSES,
  FAILURE_REASONS,
  FailureReasonSchema,
  FINISHED_STATUSES,
  isActiveStatus,
  isBuildStatus,
  isCancelableStatus,
  isCompletedStatus,
  isFailureReason,
  isFinishedStatus,
} from "./status.js";
export type {
  JobTestReport,
  ParsedTestCase,
  TestCaseEntity,
  TestCaseStatus,
  TestReportEntity,
  TestReportSummaryEntity,
  TestSuiteEntity,
} from "./test-report.js";
export {
  TEST_CASE_STATUSES,
  TestCaseEntitySchema,
  TestReportEntitySchema,
  TestReportSummaryEntitySchema,
  TestSuiteEntitySchema,
} from "./test-report.js";
export { utf8TextOf } from "./utf8-text.js";
