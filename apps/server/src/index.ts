// @buildsim/server: GitLab's v3 Builds API and v4 Jobs API on SQLite, to embed in tests (`startServer`).
// Exported: the server, its options and handle (its contract-testing controls too: request journal,
// snapshots, faults, clock, scripted jobs, state fixtures; its cluster options), the seed, and the store it
// runs on (with the types they reach: a route or an extension a user adds is typed by them), the handle's
// local CI set-up (`server.local`: a local project, runner and pipeline), plus the two rules the buildsim
// CLI shares with the server: its git history's format and its variables file's checks. The CLI watches a
// run through @buildsim/client like any client. Named exports only; everything else is internal.
export type { ClusterOptions } from "./cluster/create-cluster-bus.js";
export { LocalClusterNetwork } from "./cluster/local-cluster-bus.js";
export type { PostgresClusterOptions } from "./cluster/postgres-cluster-bus.js";
export type { ClockControl, ClockDuration, ClockInfo, ClockTime } from "./controls/clock-control.js";
export type { ContractControlsOptions } from "./controls/contract-controls.js";
export type { JobScriptState, JobScripts } from "./controls/job-scripts.js";
export type { JobStepInfo, JobSteps } from "./controls/job-steps.js";
export type { NamedSnapshots, SnapshotInfo } from "./controls/named-snapshots.js";
export type { StateFixtures } from "./controls/state-fixtures.js";
export { loadSeed, loadSeedFile, loadSeedText, SeedError } from "./fixtures/load-seed.js";
export type { ParseSeedResult, Seed, SeedBuild } from "./fixtures/parse-seed.js";
export { parseSeed } from "./fixtures/parse-seed.js";
export { ControlInputError } from "./http/control-input-error.js";
export type { FaultDecision, FaultRuleState } from "./http/fault-plan.js";
export { FaultPlan } from "./http/fault-plan.js";
export type { Reply } from "./http/reply.js";
export type { RequestContext } from "./http/request-context.js";
export type { RequestJournalOptions, VerifyResult } from "./http/request-journal.js";
export { RequestJournal, RequestVerificationError } from "./http/request-journal.js";
export type { ResponseSpec, RouteSpec } from "./http/route-spec.js";
export type { RouteEntry, RouteMatch, RouteParams, Router } from "./http/router.js";
export type { LocalCi, LocalPipelineInput } from "./local-ci.js";
export type { ApiProfile } from "./profile.js";
export { API_PROFILES, isApiProfile } from "./profile.js";
export type { RouteHandler } from "./routes/route-handler.js";
export type { CreatePipelineResult } from "./services/create-pipeline.js";
export { COMMIT_LOG_ARGS, parseCommitLog } from "./services/git-source.js";
export type { LocalProjectInput } from "./services/local-project.js";
export { validateProjectVariable } from "./services/project-variables.js";
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
export type { PipelinesRepo } from "./store/pipelines-repo.js";
export type { ProjectsRepo } from "./store/projects-repo.js";
export type { RunnersRepo } from "./store/runners-repo.js";
export type { SettingsRepo } from "./store/settings-repo.js";
export type { AppendTraceResult, TracesRepo } from "./store/traces-repo.js";
export type { UsersRepo } from "./store/users-repo.js";
export type { Realtime } from "./ws/attach-realtime.js";
export type { RealtimeOptions, RealtimeTimers } from "./ws/realtime-options.js";
