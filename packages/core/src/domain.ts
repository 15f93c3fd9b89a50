// The stored domain: users, projects and their members, commits, runners, pipelines and builds.
// Everything GitLab's v3 Build and v4 Job entities are rendered from lives on these records.

import type { BuildRunSpec } from "./job-run-spec.js";
import type { BuildStatus, BuildWhen, FailureReason, PipelineStatus } from "./status.js";

/** An ISO 8601 UTC timestamp with milliseconds, as Rails renders it: `2015-12-24T15:51:21.802Z`. */
export type Timestamp = string;

export interface User {
  id: number;
  username: string;
  name: string;
  email: string;
  state: "active" | "blocked";
  isAdmin: boolean;
  avatarUrl: string | null;
  createdAt: Timestamp;
  bio: string | null;
  location: string | null;
  skype: string;
  linkedin: string;
  twitter: string;
  websiteUrl: string;
  organization: string | null;
}

/** GitLab's access levels (`Gitlab::Access`). `master` became `maintainer` in 11.0; the number is the same. */
export const ACCESS_LEVELS = { guest: 10, reporter: 20, developer: 30, master: 40, owner: 50 } as const;
export type AccessRole = keyof typeof ACCESS_LEVELS;
export type AccessLevel = (typeof ACCESS_LEVELS)[AccessRole];

export type Visibility = "private" | "internal" | "public";

export interface ProjectMember {
  userId: number;
  accessLevel: AccessLevel;
}

export interface Project {
  id: number;
  /** `namespace/project`, the path `:id` may carry URL-encoded. */
  pathWithNamespace: string;
  name: string;
  description: string | null;
  visibility: Visibility;
  /** The "Public pipelines" setting: non-members and guests may read builds. */
  publicBuilds: boolean;
  /** Builds feature enabled; without it every `*_build` ability is removed. */
  buildsEnabled: boolean;
  defaultBranch: string;
  /** The project's runners token, masked in traces. */
  runnersToken: string;
  members: ProjectMember[];
  createdAt: Timestamp;
}

export interface Commit {
  projectId: number;
  sha: string;
  message: string;
  authorName: string;
  authorEmail: string;
  /** Git date in the commit's own timezone, e.g. `2015-12-24T16:51:14.000+01:00`. */
  authoredDate: string;
  committerName: string;
  committerEmail: string;
  committedDate: string;
  parentIds: string[];
}

export interface Runner {
  id: number;
  token: string;
  description: string;
  active: boolean;
  isShared: boolean;
  name: string | null;
  tagList: string[];
  runUntagged: boolean;
  locked: boolean;
  version: string | null;
  revision: string | null;
  platform: string | null;
  architecture: string | null;
  contactedAt: Timestamp | null;
  /** Projects a specific (non-shared) runner serves. */
  projectIds: number[];
}

export interface Pipeline {
  id: number;
  projectId: number;
  sha: string;
  ref: string;
  tag: boolean;
  beforeSha: string | null;
  /** Derived from the builds by `computePipelineStatus` and saved alongside them. */
  status: PipelineStatus;
  source: string;
  userId: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
  duration: number | null;
  coverage: number | null;
  /**
   * The trigger job (bridge) that created this pipeline as a downstream pipeline (GitLab's
   * `ci_sources_pipelines`: `source_job_id`, `source_pipeline_id`); null for any other pipeline.
   */
  upstreamBridgeId: number | null;
  upstreamPipelineId: number | null;
}

export interface ArtifactsFile {
  filename: string;
  /** Bytes. */
  size: number;
}

/** What is known of a build's trace without reading it. */
export interface TraceMeta {
  /** Persisted length in bytes; the offset the next chunk must start at. */
  bytes: number;
  updatedAt: Timestamp | null;
}

export interface BuildArtifactsOptions {
  name?: string;
  paths: string[];
  exclude?: string[];
  when: "on_success" | "on_failure" | "always";
  expireIn?: string;
  untracked?: boolean;
  reportsDotenv?: string[];
  /** `artifacts:reports:junit`: JUnit XML files the runner uploads as a `junit` artifact. */
  reportsJunit?: string[];
}

/**
 * `needs:project` / `needs:pipeline` after variables were expanded: a job of another pipeline whose
 * artifacts this build downloads (another local project's latest successful pipeline for `ref`, or the
 * pipeline `pipeline` names, e.g. `$PARENT_PIPELINE_ID`).
 */
export interface BuildCrossDependency {
  /** `group/project`; null for a `needs:pipeline` of the same project. */
  project: string | null;
  /** Branch or tag; null for the project's default branch. */
  ref: string | null;
  /** The pipeline id (`needs:pipeline`), as written after expansion. */
  pipeline: string | null;
  job: string;
  artifacts: boolean;
}

/** `environment:` actions (GitLab 16+): only `start` creates a deployment that makes the environment available. */
export const ENVIRONMENT_ACTIONS = ["start", "prepare", "stop", "verify", "access"] as const;
export type EnvironmentAction = (typeof ENVIRONMENT_ACTIONS)[number];

/** `deployment_tier` values (`Environment.tiers`). */
export const DEPLOYMENT_TIERS = ["production", "staging", "testing", "development", "other"] as const;
export type DeploymentTier = (typeof DEPLOYMENT_TIERS)[number];

/**
 * `trigger:strategy`: `depend` (the bridge succeeds, fails or is canceled with its downstream pipeline)
 * or `mirror` (GitLab 18.2+: also skipped and manual, as the downstream pipeline is).
 * https://docs.gitlab.com/ci/yaml/#triggerstrategy
 */
export const TRIGGER_STRATEGIES = ["depend", "mirror"] as const;
export type TriggerStrategy = (typeof TRIGGER_STRATEGIES)[number];

/**
 * A trigger job's `trigger:` (GitLab's `Ci::Bridge` options): a child pipeline from `include` entries of the
 * same project, or a multi-project pipeline of `project` at `branch`, with variables already expanded.
 */
/** What a generic commit status carries besides a job's fields (GitLab's `GenericCommitStatus`). */
export interface ExternalStatus {
  targetUrl: string | null;
  description: string | null;
}

export interface BuildTrigger {
  /** `trigger:include` entries as written (strings or hashes); null for a multi-project trigger. */
  include: unknown[] | null;
  /** `trigger:project` (or `trigger: group/project`); null for a child pipeline. */
  project: string | null;
  /** `trigger:branch`; null for the downstream project's default branch. */
  branch: string | null;
  /** `strategy:`: the bridge follows the downstream pipeline's status; null: it succeeds once it exists. */
  strategy: TriggerStrategy | null;
  /** `forward:yaml_variables` (default true) and `forward:pipeline_variables` (default false). */
  forwardYamlVariables: boolean;
  forwardPipelineVariables: boolean;
  /** `trigger:inputs` of a multi-project trigger (the downstream config's `spec:inputs`). */
  inputs: Record<string, unknown> | null;
}

/** A job's `environment:` after variables were expanded. */
export interface BuildEnvironment {
  name: string;
  url: string | null;
  action: EnvironmentAction;
  /** The job that stops this environment (`on_stop`). */
  onStop: string | null;
  /** `auto_stop_in` as written (`1 day`, `never`). */
  autoStopIn: string | null;
  deploymentTier: DeploymentTier | null;
}

/**
 * GitLab's protected-ref access levels (`ProtectedRefAccess.allowed_access_levels`): who may push to or
 * merge into a protected branch. 0 is nobody; 60 is instance admins only.
 */
export const PROTECTED_ACCESS_LEVELS = { noOne: 0, developer: 30, maintainer: 40, admin: 60 } as const;
export type ProtectedAccessLevel = (typeof PROTECTED_ACCESS_LEVELS)[keyof typeof PROTECTED_ACCESS_LEVELS];

/**
 * A protected branch rule (Settings > Repository > Protected branches). `name` is a branch name or a
 * wildcard (`release/*`) matching several. GitLab protects a project's default branch when it is created.
 */
export interface ProtectedBranch {
  id: number;
  projectId: number;
  name: string;
  /** Who may push: a branch is "updatable" by a user who may push or merge. */
  pushAccessLevel: ProtectedAccessLevel;
  mergeAccessLevel: ProtectedAccessLevel;
  allowForcePush: boolean;
}

/** A project's CI/CD variable (Settings > CI/CD > Variables), GitLab's `Ci::Variable`. */
export interface ProjectVariable {
  projectId: number;
  key: string;
  value: string;
  /** `file`: the runner writes the value to a temporary file and the variable holds its path. */
  variableType: "env_var" | "file";
  /** Only pipelines on protected refs get it. */
  protected: boolean;
  /** Shown as `[MASKED]` in job logs. */
  masked: boolean;
  /** "Expand variable reference" unchecked: `$OTHER` inside the value stays as written. */
  raw: boolean;
  /** `*`, an environment name, or a pattern with `*` wildcards. */
  environmentScope: string;
  description: string | null;
}

export interface BuildVariable {
  key: string;
  value: string;
  public: boolean;
  /** `expand: false`: neither GitLab nor the runner expands references inside the value. */
  raw?: boolean;
  /** `variable_type: file`: the runner writes the value to a file and sets the variable to its path. */
  file?: boolean;
}

export interface Build {
  id: number;
  projectId: number;
  pipelineId: number;
  name: string;
  stage: string;
  stageIdx: number;
  ref: string;
  tag: boolean;
  sha: string;
  status: BuildStatus;
  when: BuildWhen;
  allowFailure: boolean;
  /** `allow_failure: exit_codes`: only these exit codes are allowed to fail. Empty means any. */
  allowFailureExitCodes: number[];
  /** `needs:` job names (DAG); null when the build follows stage order. `[]` runs at once. */
  needs: string[] | null;
  /** Names of the jobs whose artifacts this build downloads; null means all earlier stages. */
  dependencies: string[] | null;
  /** Script lines (`commands` in GitLab). A build without commands cannot be retried or played. */
  commands: string[];
  beforeScript: string[];
  afterScript: string[];
  variables: BuildVariable[];
  tagList: string[];
  /** Seconds a runner may spend on the build before it fails with stuck_or_timeout_failure. */
  timeoutS: number;
  artifactsOptions: BuildArtifactsOptions | null;
  /** `image:` — accepted and reported; the shell executor runs without containers. */
  image: string | null;
  /** `services:` names, reported like `image`. */
  services: string[];
  /** `image:`, `services:` and `cache:` in full, for the runner; null for builds made before they were kept. */
  runSpec: BuildRunSpec | null;
  /** Variables its `artifacts:reports:dotenv` files set; later jobs that take its artifacts get them. */
  dotenvVariables: BuildVariable[];
  /** `retry:` from the CI config: automatic retries left and on which failure reasons. */
  retryMax: number;
  retryWhen: string[] | null;
  /** `start_in` seconds for `when: delayed`. */
  startInS: number | null;
  /** While `scheduled`: when the countdown ends (`scheduled_at`); null in every other status. */
  scheduledAt: Timestamp | null;
  /** `resource_group:`: at most one build of the project per group holds the resource (pending or running). */
  resourceGroup: string | null;
  /** `needs:project` and `needs:pipeline`: artifacts fetched from other pipelines. */
  crossDependencies: BuildCrossDependency[];
  /** `environment:`, with variables expanded; null for a job that deploys nowhere. */
  environment: BuildEnvironment | null;
  /** `trigger:`: a bridge, which no runner claims; the server creates its downstream pipeline instead. */
  trigger: BuildTrigger | null;
  /** A status an external CI tool reported (`POST /projects/:id/statuses/:sha`); null for every job. */
  external: ExternalStatus | null;
  coverage: number | null;
  coverageRegex: string | null;
  createdAt: Timestamp;
  queuedAt: Timestamp | null;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
  erasedAt: Timestamp | null;
  erasedById: number | null;
  userId: number | null;
  runnerId: number | null;
  failureReason: FailureReason | null;
  exitCode: number | null;
  artifactsFile: ArtifactsFile | null;
  artifactsExpireAt: Timestamp | null;
  /** True once a newer build of the same name exists in the pipeline. */
  retried: boolean;
  /** The job token a runner authenticates with; masked in traces. */
  token: string;
  trace: TraceMeta;
}

/**
 * `process_mode` of a resource group: `unordered` (GitLab's default) hands the resource to any waiting
 * job; `oldest_first` and `newest_first` order the waiting jobs by pipeline.
 */
export const RESOURCE_GROUP_PROCESS_MODES = ["unordered", "oldest_first", "newest_first"] as const;
export type ResourceGroupProcessMode = (typeof RESOURCE_GROUP_PROCESS_MODES)[number];
