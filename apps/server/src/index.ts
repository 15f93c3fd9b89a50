// @buildsim/server: GitLab's v3 Builds API and v4 Jobs API on SQLite, embeddable (`startServer`) and extensible (routes,
// event bus, services). Named exports only.

export type { App, AppOptions } from "./app.js";
export { createApp } from "./app.js";
export { canReadBuild, canReadProject, canUpdateBuild } from "./auth/abilities.js";
export { authenticate } from "./auth/authenticate.js";
export type { ContractControlsOptions } from "./controls/contract-controls.js";
export type { NamedSnapshots, SnapshotInfo } from "./controls/named-snapshots.js";
export type { ServerEventMap } from "./events/server-events.js";
export { ServerEvents } from "./events/server-events.js";
export { loadSeed, loadSeedFile, loadSeedText, SeedError } from "./fixtures/load-seed.js";
export type { ParseSeedResult, Seed, SeedBuild } from "./fixtures/parse-seed.js";
export { parseSeed } from "./fixtures/parse-seed.js";
export type { ApiErrorCode } from "./http/api-error.js";
export { API_ERRORS, ApiError } from "./http/api-error.js";
export { ControlInputError } from "./http/control-input-error.js";
export type { FaultDecision, FaultRuleState } from "./http/fault-plan.js";
export { FaultPlan } from "./http/fault-plan.js";
export type { PageRequest } from "./http/paginate.js";
export { pageWindow, paginationHeaders, parsePageRequest } from "./http/paginate.js";
export type { Params, ParamValue, ParsedQuery } from "./http/parse-query.js";
export { parseQuery, toQuery } from "./http/parse-query.js";
export type { Reply } from "./http/reply.js";
export { JSON_TYPE, jsonReply } from "./http/reply.js";
export type { RequestContext } from "./http/request-context.js";
export type { RequestJournalOptions, VerifyResult } from "./http/request-journal.js";
export { RequestJournal, RequestVerificationError } from "./http/request-journal.js";
export { ResponseCache } from "./http/response-cache.js";
export type { ResponseSpec, RouteSpec } from "./http/route-spec.js";
export type { RouteEntry, RouteMatch, RouteParams } from "./http/router.js";
export { Router } from "./http/router.js";
export type { EntityLookup } from "./presenters/entity-lookup.js";
export type { BuildShape, PresentOptions } from "./presenters/present-build-v3.js";
export {
  gravatarUrl,
  presentBuildV3,
  presentCommitV3,
  presentPipelineBasic,
  presentRunner,
  presentUserV3,
} from "./presenters/present-build-v3.js";
export type { EntityLookupV4, PresentV4Options } from "./presenters/present-entities-v4.js";
export {
  presentCommitV4,
  presentPipelineBasicV4,
  presentRunnerV4,
  presentUserV4,
} from "./presenters/present-entities-v4.js";
export { presentJobV4 } from "./presenters/present-job-v4.js";
export { presentPipelineV4 } from "./presenters/present-pipeline-v4.js";
export { presentProjectV4 } from "./presenters/present-project-v4.js";
export { presentTestReportSummaryV4, presentTestReportV4 } from "./presenters/present-test-report-v4.js";
export type { ApiProfile } from "./profile.js";
export { API_PROFILES, isApiProfile } from "./profile.js";
export { currentUser, integerRouteParam } from "./routes/access.js";
export type { RouteHandler } from "./routes/route-handler.js";
export { parseScope, V3_SCOPES } from "./routes/v3/parse-scope.js";
export { findBuild, findProject, requireReadBuild, requireUpdateBuild } from "./routes/v3/route-helpers.js";
export { SERVED_VERSION } from "./routes/v4/instance-routes.js";
export { parseJobScope, V4_JOB_SCOPES } from "./routes/v4/parse-job-scope.js";
export { addV4Routes } from "./routes/v4/v4-routes.js";
export type { ArtifactEntryResult } from "./services/artifact-entry.js";
export { isValidArtifactPath, readArtifactEntry } from "./services/artifact-entry.js";
export type { BuildActions } from "./services/build-actions.js";
export { createBuildActions } from "./services/build-actions.js";
export type { BuildTransitions } from "./services/build-transitions.js";
export { createBuildTransitions } from "./services/build-transitions.js";
export { runnerCanRun } from "./services/claim-build.js";
export type {
  CreatePipeline,
  CreatePipelineInput,
  CreatePipelineResult,
} from "./services/create-pipeline.js";
export { deleteJobArtifacts } from "./services/delete-artifacts.js";
export { COMMIT_LOG_ARGS, parseCommitLog, withMilliseconds } from "./services/git-source.js";
export { buildJobPayload, dependenciesOf } from "./services/job-payload.js";
export type { LocalProjectInput } from "./services/local-project.js";
export { ensureLocalRunner, registerLocalProject } from "./services/local-project.js";
export type { ProjectVariables, VariableChange, VariableErrors } from "./services/project-variables.js";
export {
  createProjectVariables,
  scopeMatches,
  validateProjectVariable,
  variablesForJob,
} from "./services/project-variables.js";
export type { PipelineTestSuite } from "./services/test-reports.js";
export { loadPipelineTestSuites, pipelineTestSuites, testSuiteName } from "./services/test-reports.js";
export type { TraceSecrets, Traces } from "./services/traces.js";
export { createTraces, MASKED, maskSecrets, traceSecretsOf } from "./services/traces.js";
export type {
  RunningServer,
  ServerExtension,
  ServerHost,
  StartServerOptions,
} from "./start-server.js";
export { startServer } from "./start-server.js";
export type { ArtifactRecord, ArtifactsRepo } from "./store/artifacts-repo.js";
export type { BuildListQuery, BuildsRepo } from "./store/builds-repo.js";
export type { CommitsRepo } from "./store/commits-repo.js";
export type { Store, StoreOptions } from "./store/create-store.js";
export { createStore, DEFAULT_DATA_DIR } from "./store/create-store.js";
export type { Migration } from "./store/migrations.js";
export { MIGRATIONS } from "./store/migrations.js";
export type { Db } from "./store/open-database.js";
export { migrate, openDatabase } from "./store/open-database.js";
export type { PipelinesRepo } from "./store/pipelines-repo.js";
export type { ProjectsRepo } from "./store/projects-repo.js";
export type { RunnersRepo } from "./store/runners-repo.js";
export type { SettingsRepo } from "./store/settings-repo.js";
export type { AppendTraceResult, TracesRepo } from "./store/traces-repo.js";
export type { UsersRepo } from "./store/users-repo.js";
export { VersionedMemo } from "./store/versioned-memo.js";
export type { Realtime } from "./ws/attach-realtime.js";
export { attachRealtime } from "./ws/attach-realtime.js";
export { MaskedTrace } from "./ws/masked-trace.js";
export type { RealtimeOptions, RealtimeTimers } from "./ws/realtime-options.js";
