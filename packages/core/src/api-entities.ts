// The REST shapes buildsim serves, as GitLab's entities expose them (snake_case, JSON types). The server
// renders these; the client returns them. v3 follows GitLab 8.17 `Entities::Build`; v4 the current Job.
// Schemas first (the OpenAPI document is generated from them); the types are derived. Objects accept
// keys beyond the listed ones, as GitLab adds fields between versions.

import { type Static, Type } from "@sinclair/typebox";
import { Nullable } from "./schema-helpers.js";

/** `Entities::User` as v3 builds embed it (8.13–8.17 field set). */
export const UserEntityV3Schema = Type.Object({
  name: Type.String(),
  username: Type.String(),
  id: Type.Number(),
  state: Type.String(),
  avatar_url: Nullable(Type.String()),
  web_url: Type.String(),
  created_at: Type.String(),
  is_admin: Type.Boolean(),
  bio: Nullable(Type.String()),
  location: Type.Optional(Nullable(Type.String())),
  skype: Type.String(),
  linkedin: Type.String(),
  twitter: Type.String(),
  website_url: Type.String(),
  organization: Type.Optional(Nullable(Type.String())),
});
export type UserEntityV3 = Static<typeof UserEntityV3Schema>;

/** `Entities::RepoCommit` (v3). */
export const CommitEntityV3Schema = Type.Object({
  id: Type.String(),
  short_id: Type.String(),
  title: Type.String(),
  author_name: Type.String(),
  author_email: Type.String(),
  created_at: Type.String(),
  committer_name: Type.Optional(Type.String()),
  committer_email: Type.Optional(Type.String()),
  message: Type.String(),
});
export type CommitEntityV3 = Static<typeof CommitEntityV3Schema>;

/** `Entities::Runner`. */
export const RunnerEntitySchema = Type.Object({
  id: Type.Number(),
  description: Type.String(),
  active: Type.Boolean(),
  is_shared: Type.Boolean(),
  name: Nullable(Type.String()),
  ip_address: Type.Optional(Nullable(Type.String())),
  paused: Type.Optional(Type.Boolean()),
  runner_type: Type.Optional(Type.String()),
  online: Type.Optional(Type.Boolean()),
  status: Type.Optional(Type.String()),
});
export type RunnerEntity = Static<typeof RunnerEntitySchema>;

/** `Entities::PipelineBasic`. */
export const PipelineBasicEntitySchema = Type.Object({
  id: Type.Number(),
  iid: Type.Optional(Type.Number()),
  sha: Type.String(),
  ref: Type.String(),
  status: Type.String(),
  web_url: Type.Optional(Type.String()),
  project_id: Type.Optional(Type.Number()),
  created_at: Type.Optional(Type.String()),
  updated_at: Type.Optional(Type.String()),
  source: Type.Optional(Type.String()),
});
export type PipelineBasicEntity = Static<typeof PipelineBasicEntitySchema>;

export const ArtifactsFileEntitySchema = Type.Object({
  filename: Type.String(),
  size: Type.Number(),
});
export type ArtifactsFileEntity = Static<typeof ArtifactsFileEntitySchema>;

/**
 * v3 `Entities::Build`. Under the default (`docs`) profile the key set follows the seed document's
 * examples; under `gitlab-8.17`, GitLab's code (no null `artifacts_file`, `pipeline` present).
 */
export const BuildEntityV3Schema = Type.Object({
  commit: Nullable(CommitEntityV3Schema),
  coverage: Nullable(Type.Number()),
  created_at: Type.String(),
  artifacts_file: Type.Optional(Nullable(ArtifactsFileEntitySchema)),
  download_url: Type.Optional(Nullable(Type.String())),
  finished_at: Nullable(Type.String()),
  id: Type.Number(),
  name: Type.String(),
  ref: Type.String(),
  runner: Nullable(RunnerEntitySchema),
  stage: Type.String(),
  started_at: Nullable(Type.String()),
  status: Type.String(),
  tag: Type.Boolean(),
  user: Nullable(UserEntityV3Schema),
  pipeline: Type.Optional(PipelineBasicEntitySchema),
});
export type BuildEntityV3 = Static<typeof BuildEntityV3Schema>;

/** v4 `Entities::UserBasic`/`User` as jobs embed it. */
export const UserEntityV4Schema = Type.Object({
  id: Type.Number(),
  username: Type.String(),
  name: Type.String(),
  state: Type.String(),
  avatar_url: Nullable(Type.String()),
  web_url: Type.String(),
  created_at: Type.String(),
  bio: Nullable(Type.String()),
  location: Nullable(Type.String()),
  public_email: Nullable(Type.String()),
  skype: Type.String(),
  linkedin: Type.String(),
  twitter: Type.String(),
  website_url: Type.String(),
  organization: Nullable(Type.String()),
  job_title: Type.Optional(Type.String()),
  pronouns: Type.Optional(Nullable(Type.String())),
  bot: Type.Optional(Type.Boolean()),
  discord: Type.Optional(Type.String()),
  locked: Type.Optional(Type.Boolean()),
});
export type UserEntityV4 = Static<typeof UserEntityV4Schema>;

/** v4 `Entities::Commit`. */
export const CommitEntityV4Schema = Type.Object({
  id: Type.String(),
  short_id: Type.String(),
  created_at: Type.String(),
  parent_ids: Type.Array(Type.String()),
  title: Type.String(),
  message: Type.String(),
  author_name: Type.String(),
  author_email: Type.String(),
  authored_date: Type.String(),
  committer_name: Type.String(),
  committer_email: Type.String(),
  committed_date: Type.String(),
  trailers: Type.Optional(Type.Record(Type.String(), Type.String())),
  extended_trailers: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
  web_url: Type.String(),
});
export type CommitEntityV4 = Static<typeof CommitEntityV4Schema>;

export const JobArtifactEntitySchema = Type.Object({
  file_type: Type.String(),
  size: Type.Number(),
  filename: Type.String(),
  file_format: Nullable(Type.String()),
});
export type JobArtifactEntity = Static<typeof JobArtifactEntitySchema>;

/** v4 `Entities::Ci::JobBasic`: what every job entity starts with. */
const JOB_BASIC_FIELDS = {
  id: Type.Number(),
  status: Type.String(),
  stage: Type.String(),
  name: Type.String(),
  ref: Type.String(),
  tag: Type.Boolean(),
  coverage: Nullable(Type.Number()),
  allow_failure: Type.Boolean(),
  created_at: Type.String(),
  started_at: Nullable(Type.String()),
  finished_at: Nullable(Type.String()),
  erased_at: Nullable(Type.String()),
  duration: Nullable(Type.Number()),
  queued_duration: Nullable(Type.Number()),
  user: Nullable(UserEntityV4Schema),
  commit: Nullable(CommitEntityV4Schema),
  pipeline: PipelineBasicEntitySchema,
  failure_reason: Type.Optional(Type.String()),
  web_url: Type.String(),
  project: Type.Object({ ci_job_token_scope_enabled: Type.Boolean() }),
};
export const JobBasicEntitySchema = Type.Object(JOB_BASIC_FIELDS);
export type JobBasicEntity = Static<typeof JobBasicEntitySchema>;

/** v4 `Entities::Ci::Bridge` (a trigger job): JobBasic and the pipeline it created, null before it exists. */
export const BridgeEntitySchema = Type.Object({
  ...JOB_BASIC_FIELDS,
  downstream_pipeline: Nullable(PipelineBasicEntitySchema),
});
export type BridgeEntity = Static<typeof BridgeEntitySchema>;

/** v4 `Entities::Ci::Job` (current GitLab). */
export const JobEntitySchema = Type.Object({
  ...JOB_BASIC_FIELDS,
  artifacts_file: Type.Optional(ArtifactsFileEntitySchema),
  artifacts: Type.Array(JobArtifactEntitySchema),
  runner: Nullable(RunnerEntitySchema),
  runner_manager: Nullable(Type.Unknown()),
  artifacts_expire_at: Nullable(Type.String()),
  archived: Type.Boolean(),
  tag_list: Type.Array(Type.String()),
});
export type JobEntity = Static<typeof JobEntitySchema>;

/** v4 `Entities::Ci::Pipeline` (single pipeline). */
export const PipelineEntitySchema = Type.Object({
  id: Type.Number(),
  sha: Type.String(),
  ref: Type.String(),
  status: Type.String(),
  iid: Type.Number(),
  project_id: Type.Number(),
  source: Type.String(),
  web_url: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
  before_sha: Nullable(Type.String()),
  tag: Type.Boolean(),
  yaml_errors: Nullable(Type.String()),
  user: Nullable(UserEntityV4Schema),
  started_at: Nullable(Type.String()),
  finished_at: Nullable(Type.String()),
  committed_at: Nullable(Type.String()),
  duration: Nullable(Type.Number()),
  queued_duration: Nullable(Type.Number()),
  coverage: Nullable(Type.String()),
  detailed_status: Type.Record(Type.String(), Type.Unknown()),
});
export type PipelineEntity = Static<typeof PipelineEntitySchema>;

/** v4 project, the subset buildsim stores. */
export const ProjectEntitySchema = Type.Object({
  id: Type.Number(),
  name: Type.String(),
  path: Type.String(),
  path_with_namespace: Type.String(),
  name_with_namespace: Type.String(),
  description: Nullable(Type.String()),
  default_branch: Type.String(),
  visibility: Type.String(),
  web_url: Type.String(),
  created_at: Type.String(),
  public_jobs: Type.Boolean(),
  jobs_enabled: Type.Boolean(),
});
/** More of GitLab's project fields may follow (the presenter fills what buildsim knows). */
export type ProjectEntity = Static<typeof ProjectEntitySchema> & Record<string, unknown>;

/**
 * GitLab's error bodies: `{"message": …}` from the API helpers, `{"error": …}` from parameter validation,
 * `{"message": {field: [problems]}}` from model validation (GitLab's `render_validation_error!`).
 */
export const ApiErrorBodySchema = Type.Union([
  Type.Object({ message: Type.String() }, { additionalProperties: false }),
  Type.Object({ error: Type.String() }, { additionalProperties: false }),
  Type.Object(
    { message: Type.Record(Type.String(), Type.Array(Type.String())) },
    { additionalProperties: false },
  ),
  /** `render_api_error!(record.errors.full_messages, 422)`. */
  Type.Object({ message: Type.Array(Type.String()) }, { additionalProperties: false }),
  /** RFC 6750's insufficient_scope, as GitLab's API guard renders it. */
  Type.Object(
    { error: Type.String(), error_description: Type.String(), scope: Type.String() },
    { additionalProperties: false },
  ),
]);
export type ApiErrorBody = Static<typeof ApiErrorBodySchema>;

/** `API::Entities::Ci::Variable`: `/api/v4/projects/:id/variables`. */
export interface VariableEntity {
  variable_type: "env_var" | "file";
  key: string;
  value: string;
  hidden: boolean;
  protected: boolean;
  masked: boolean;
  raw: boolean;
  environment_scope: string;
  description: string | null;
}

/** `GET /api/v4/version`. */
export const VersionEntitySchema = Type.Object({
  version: Type.String(),
  revision: Type.String(),
});
export type VersionEntity = Static<typeof VersionEntitySchema>;

/** buildsim's `GET /-/buildsim/api/projects/:id/pipelines/:pipeline_id/needs`: one job of the needs graph. */
export const JobNeedsEntitySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  stage: Type.String(),
  /** `needs:` job names; null when the job follows stage order. */
  needs: Nullable(Type.Array(Type.String())),
});
export type JobNeedsEntity = Static<typeof JobNeedsEntitySchema>;

/**
 * One job of buildsim's `GET /-/buildsim/api/projects/:id/pipelines/:pipeline_id/jobs` (what GitLab's
 * GraphQL `Pipeline.jobs` carries and its REST Job entity does not: the stage's place, `when`, the
 * delayed job's `scheduled_at`, `retried`, the stored trace's size and a trigger job's downstream pipeline).
 */
export const PipelineJobEntitySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  stage: Type.String(),
  /** The stage's place in the pipeline's `stages:` (0 first). */
  stage_idx: Type.Integer(),
  status: Type.String(),
  when: Type.String(),
  allow_failure: Type.Boolean(),
  /** A newer attempt of the same job exists. */
  retried: Type.Boolean(),
  started_at: Nullable(Type.String()),
  finished_at: Nullable(Type.String()),
  /** When a delayed job starts, while it is `scheduled`. */
  scheduled_at: Nullable(Type.String()),
  /** Bytes of trace stored so far. */
  trace_size: Type.Integer(),
  /** A trigger job (a bridge): it has no trace, and may have a downstream pipeline. */
  trigger: Type.Boolean(),
  downstream_pipeline: Nullable(Type.Object({ id: Type.Integer(), project_id: Type.Integer() })),
});
export type PipelineJobEntity = Static<typeof PipelineJobEntitySchema>;

/** buildsim's `GET …/pipelines/:pipeline_id/jobs`: a pipeline's status and all its jobs, read at once. */
export const PipelineJobsEntitySchema = Type.Object({
  id: Type.Integer(),
  project_id: Type.Integer(),
  status: Type.String(),
  /** Every job and trigger job, retried ones included, in creation (id) order. */
  jobs: Type.Array(PipelineJobEntitySchema),
});
export type PipelineJobsEntity = Static<typeof PipelineJobsEntitySchema>;

/** buildsim's `GET /-/buildsim/api/projects/:id/jobs/:job_id/variables`: a variable the job saw. */
export const JobVariableEntitySchema = Type.Object({
  key: Type.String(),
  /** null when masked (not public). */
  value: Nullable(Type.String()),
  masked: Type.Boolean(),
});
export type JobVariableEntity = Static<typeof JobVariableEntitySchema>;

/** `API::Entities::ProtectedRefAccess`: one role allowed to push or merge. */
export const ProtectedRefAccessEntitySchema = Type.Object({
  id: Type.Integer(),
  access_level: Type.Integer(),
  /** `Maintainers`, `Developers + Maintainers`, `Instance admins` or `No one`. */
  access_level_description: Type.String(),
  /** Push access levels only (a deploy key may be granted push). */
  deploy_key_id: Type.Optional(Nullable(Type.Integer())),
});
export type ProtectedRefAccessEntity = Static<typeof ProtectedRefAccessEntitySchema>;

/** `API::Entities::ProtectedBranch`: `/api/v4/projects/:id/protected_branches`. */
export const ProtectedBranchEntitySchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  push_access_levels: Type.Array(ProtectedRefAccessEntitySchema),
  merge_access_levels: Type.Array(ProtectedRefAccessEntitySchema),
  allow_force_push: Type.Boolean(),
  code_owner_approval_required: Type.Boolean(),
});
export type ProtectedBranchEntity = Static<typeof ProtectedBranchEntitySchema>;
