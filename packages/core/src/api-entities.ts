// The REST shapes buildsim serves, as GitLab's entities expose them (snake_case, JSON types). The server
// renders these; the client returns them. v3 follows GitLab 8.17 `Entities::Build`; v4 the current Job.

/** `Entities::User` as v3 builds embed it (8.13–8.17 field set). */
export interface UserEntityV3 {
  name: string;
  username: string;
  id: number;
  state: string;
  avatar_url: string | null;
  web_url: string;
  created_at: string;
  is_admin: boolean;
  bio: string | null;
  location?: string | null;
  skype: string;
  linkedin: string;
  twitter: string;
  website_url: string;
  organization?: string | null;
}

/** `Entities::RepoCommit` (v3). */
export interface CommitEntityV3 {
  id: string;
  short_id: string;
  title: string;
  author_name: string;
  author_email: string;
  created_at: string;
  committer_name?: string;
  committer_email?: string;
  message: string;
}

/** `Entities::Runner`. */
export interface RunnerEntity {
  id: number;
  description: string;
  active: boolean;
  is_shared: boolean;
  name: string | null;
  ip_address?: string | null;
  paused?: boolean;
  runner_type?: string;
  online?: boolean;
  status?: string;
}

/** `Entities::PipelineBasic`. */
export interface PipelineBasicEntity {
  id: number;
  iid?: number;
  sha: string;
  ref: string;
  status: string;
  web_url?: string;
  project_id?: number;
  created_at?: string;
  updated_at?: string;
  source?: string;
}

export interface ArtifactsFileEntity {
  filename: string;
  size: number;
}

/**
 * v3 `Entities::Build`. Under the default (`docs`) profile the key set follows the seed document's
 * examples; under `gitlab-8.17`, GitLab's code (no null `artifacts_file`, `pipeline` present).
 */
export interface BuildEntityV3 {
  commit: CommitEntityV3 | null;
  coverage: number | null;
  created_at: string;
  artifacts_file?: ArtifactsFileEntity | null;
  download_url?: string | null;
  finished_at: string | null;
  id: number;
  name: string;
  ref: string;
  runner: RunnerEntity | null;
  stage: string;
  started_at: string | null;
  status: string;
  tag: boolean;
  user: UserEntityV3 | null;
  pipeline?: PipelineBasicEntity;
}

/** v4 `Entities::UserBasic`/`User` as jobs embed it. */
export interface UserEntityV4 {
  id: number;
  username: string;
  name: string;
  state: string;
  avatar_url: string | null;
  web_url: string;
  created_at: string;
  bio: string | null;
  location: string | null;
  public_email: string | null;
  skype: string;
  linkedin: string;
  twitter: string;
  website_url: string;
  organization: string | null;
  job_title?: string;
  pronouns?: string | null;
  bot?: boolean;
  discord?: string;
  locked?: boolean;
}

/** v4 `Entities::Commit`. */
export interface CommitEntityV4 {
  id: string;
  short_id: string;
  created_at: string;
  parent_ids: string[];
  title: string;
  message: string;
  author_name: string;
  author_email: string;
  authored_date: string;
  committer_name: string;
  committer_email: string;
  committed_date: string;
  trailers?: Record<string, string>;
  extended_trailers?: Record<string, string[]>;
  web_url: string;
}

export interface JobArtifactEntity {
  file_type: string;
  size: number;
  filename: string;
  file_format: string | null;
}

/** v4 `Entities::Ci::Job` (current GitLab). */
export interface JobEntity {
  id: number;
  status: string;
  stage: string;
  name: string;
  ref: string;
  tag: boolean;
  coverage: number | null;
  allow_failure: boolean;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  erased_at: string | null;
  duration: number | null;
  queued_duration: number | null;
  user: UserEntityV4 | null;
  commit: CommitEntityV4 | null;
  pipeline: PipelineBasicEntity;
  failure_reason?: string;
  web_url: string;
  project: { ci_job_token_scope_enabled: boolean };
  artifacts_file?: ArtifactsFileEntity;
  artifacts: JobArtifactEntity[];
  runner: RunnerEntity | null;
  runner_manager: unknown | null;
  artifacts_expire_at: string | null;
  archived: boolean;
  tag_list: string[];
}

/** v4 `Entities::Ci::Pipeline` (single pipeline). */
export interface PipelineEntity extends Required<Pick<PipelineBasicEntity, "id" | "sha" | "ref" | "status">> {
  iid: number;
  project_id: number;
  source: string;
  web_url: string;
  created_at: string;
  updated_at: string;
  before_sha: string | null;
  tag: boolean;
  yaml_errors: string | null;
  user: UserEntityV4 | null;
  started_at: string | null;
  finished_at: string | null;
  committed_at: string | null;
  duration: number | null;
  queued_duration: number | null;
  coverage: string | null;
  detailed_status: Record<string, unknown>;
}

/** v4 project, the subset buildsim stores. */
export interface ProjectEntity {
  id: number;
  name: string;
  path: string;
  path_with_namespace: string;
  name_with_namespace: string;
  description: string | null;
  default_branch: string;
  visibility: string;
  web_url: string;
  created_at: string;
  public_jobs: boolean;
  jobs_enabled: boolean;
  [key: string]: unknown;
}

/** GitLab's error bodies: `{"message": …}` from the API helpers, `{"error": …}` from parameter validation. */
export type ApiErrorBody = { message: string } | { error: string };

/** `GET /api/v4/version`. */
export interface VersionEntity {
  version: string;
  revision: string;
}

/** buildsim's `GET /-/buildsim/api/projects/:id/pipelines/:pipeline_id/needs`: one job of the needs graph. */
export interface JobNeedsEntity {
  id: number;
  name: string;
  stage: string;
  /** `needs:` job names; null when the job follows stage order. */
  needs: string[] | null;
}

/** buildsim's `GET /-/buildsim/api/projects/:id/jobs/:job_id/variables`: a variable the job saw. */
export interface JobVariableEntity {
  key: string;
  /** null when masked (not public). */
  value: string | null;
  masked: boolean;
}
