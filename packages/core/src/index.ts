// @buildsim/core: GitLab's build domain — statuses, the build state machine, pipeline rules, wire types.
// Named exports only, listed explicitly.

export type {
  ApiErrorBody,
  ArtifactsFileEntity,
  BuildEntityV3,
  CommitEntityV3,
  CommitEntityV4,
  JobArtifactEntity,
  JobEntity,
  JobNeedsEntity,
  JobVariableEntity,
  PipelineBasicEntity,
  PipelineEntity,
  ProjectEntity,
  RunnerEntity,
  UserEntityV3,
  UserEntityV4,
  VersionEntity,
} from "./api-entities.js";
export type { BuildTransition } from "./apply-build-event.js";
export { applyBuildEvent } from "./apply-build-event.js";
export type { BuildEvent, BuildEventType } from "./build-events.js";
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
export type {
  AccessLevel,
  AccessRole,
  ArtifactsFile,
  Build,
  BuildArtifactsOptions,
  BuildCrossDependency,
  BuildEnvironment,
  BuildVariable,
  Commit,
  DeploymentTier,
  EnvironmentAction,
  Pipeline,
  Project,
  ProjectMember,
  ResourceGroupProcessMode,
  Runner,
  Timestamp,
  TraceMeta,
  User,
  Visibility,
} from "./domain.js";
export {
  ACCESS_LEVELS,
  DEPLOYMENT_TIERS,
  ENVIRONMENT_ACTIONS,
  RESOURCE_GROUP_PROCESS_MODES,
} from "./domain.js";
export type {
  Deployment,
  DeploymentEntity,
  DeploymentStatus,
  Environment,
  EnvironmentEntity,
  EnvironmentState,
} from "./environments.js";
export { deploymentStatusFor, environmentSlug, guessDeploymentTier } from "./environments.js";
export type {
  BuildRunSpec,
  JobCache,
  JobCacheKey,
  JobImage,
  JobService,
  PullPolicy,
} from "./job-run-spec.js";
export type { NewBuildFields } from "./new-build.js";
export { newBuild } from "./new-build.js";
export type { NewUserFields } from "./new-user.js";
export { newUser } from "./new-user.js";
export { compositeStatus, computePipelineStatus, latestBuilds } from "./pipeline-status.js";
export type { ProcessDecision } from "./process-pipeline.js";
export { processPipeline } from "./process-pipeline.js";
export type {
  CancelMessage,
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
  CLOSE_CODES,
  EVENTS_WS_PATH,
  PROTOCOL_VERSION,
  RUNNER_WS_PATH,
  TRACE_WS_PATH,
} from "./protocol.js";
export type { RetryOptions } from "./retry-build.js";
export { reopenAfterRetry, retryBuild, shouldAutoRetry } from "./retry-build.js";
export type { BuildStatus, BuildWhen, FailureReason, PipelineStatus } from "./status.js";
export {
  ACTIVE_STATUSES,
  BUILD_STATUSES,
  BUILD_WHEN,
  CANCELABLE_STATUSES,
  COMPLETED_STATUSES,
  FAILURE_REASONS,
  FINISHED_STATUSES,
  isActiveStatus,
  isBuildStatus,
  isCancelableStatus,
  isCompletedStatus,
  isFailureReason,
  isFinishedStatus,
} from "./status.js";
