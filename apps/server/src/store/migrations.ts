// The versioned schema: an ordered list of migrations, each applied once and recorded in schema_migrations.

/** One schema step. `version` numbers are dense and never reused; a released migration never changes. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, oldest first. Append new ones; never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "initial schema",
    sql: `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  state TEXT NOT NULL,
  is_admin INTEGER NOT NULL,
  avatar_url TEXT,
  created_at TEXT NOT NULL,
  bio TEXT,
  location TEXT,
  skype TEXT NOT NULL,
  linkedin TEXT NOT NULL,
  twitter TEXT NOT NULL,
  website_url TEXT NOT NULL,
  organization TEXT
);
CREATE TABLE personal_tokens (
  token TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE
);
CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  path_with_namespace TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  description TEXT,
  visibility TEXT NOT NULL,
  public_builds INTEGER NOT NULL,
  builds_enabled INTEGER NOT NULL,
  default_branch TEXT NOT NULL,
  runners_token TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE project_members (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  access_level INTEGER NOT NULL,
  PRIMARY KEY (project_id, user_id)
);
CREATE TABLE commits (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  sha TEXT NOT NULL,
  message TEXT NOT NULL,
  author_name TEXT NOT NULL,
  author_email TEXT NOT NULL,
  authored_date TEXT NOT NULL,
  committer_name TEXT NOT NULL,
  committer_email TEXT NOT NULL,
  committed_date TEXT NOT NULL,
  parent_ids TEXT NOT NULL,
  PRIMARY KEY (project_id, sha)
);
CREATE TABLE runners (
  id INTEGER PRIMARY KEY,
  token TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  active INTEGER NOT NULL,
  is_shared INTEGER NOT NULL,
  name TEXT,
  tag_list TEXT NOT NULL,
  run_untagged INTEGER NOT NULL,
  locked INTEGER NOT NULL,
  version TEXT,
  revision TEXT,
  platform TEXT,
  architecture TEXT,
  contacted_at TEXT
);
CREATE TABLE runner_projects (
  runner_id INTEGER NOT NULL REFERENCES runners(id) ON DELETE CASCADE,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  PRIMARY KEY (runner_id, project_id)
);
CREATE TABLE pipelines (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  sha TEXT NOT NULL,
  ref TEXT NOT NULL,
  tag INTEGER NOT NULL,
  before_sha TEXT,
  status TEXT NOT NULL,
  source TEXT NOT NULL,
  user_id INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  duration REAL,
  coverage REAL
);
CREATE INDEX pipelines_by_project_ref ON pipelines (project_id, ref, id DESC);
CREATE TABLE builds (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  stage TEXT NOT NULL,
  stage_idx INTEGER NOT NULL,
  ref TEXT NOT NULL,
  tag INTEGER NOT NULL,
  sha TEXT NOT NULL,
  status TEXT NOT NULL,
  when_ TEXT NOT NULL,
  allow_failure INTEGER NOT NULL,
  allow_failure_exit_codes TEXT NOT NULL,
  needs TEXT,
  dependencies TEXT,
  commands TEXT NOT NULL,
  before_script TEXT NOT NULL,
  after_script TEXT NOT NULL,
  variables TEXT NOT NULL,
  tag_list TEXT NOT NULL,
  timeout_s INTEGER NOT NULL,
  artifacts_options TEXT,
  retry_max INTEGER NOT NULL,
  retry_when TEXT,
  start_in_s INTEGER,
  coverage REAL,
  coverage_regex TEXT,
  created_at TEXT NOT NULL,
  queued_at TEXT,
  started_at TEXT,
  finished_at TEXT,
  erased_at TEXT,
  erased_by_id INTEGER,
  user_id INTEGER,
  runner_id INTEGER,
  failure_reason TEXT,
  exit_code INTEGER,
  artifacts_expire_at TEXT,
  retried INTEGER NOT NULL,
  token TEXT NOT NULL UNIQUE,
  trace_bytes INTEGER NOT NULL DEFAULT 0,
  trace_updated_at TEXT
);
CREATE INDEX builds_by_project ON builds (project_id, id DESC);
CREATE INDEX builds_by_project_status ON builds (project_id, status, id DESC);
CREATE INDEX builds_by_project_sha ON builds (project_id, sha, id DESC);
CREATE INDEX builds_by_pipeline ON builds (pipeline_id, id);
CREATE INDEX builds_by_status ON builds (status, id);
CREATE TABLE build_counts (
  project_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (project_id, status)
) WITHOUT ROWID;
CREATE TABLE artifacts (
  build_id INTEGER PRIMARY KEY REFERENCES builds(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  size INTEGER NOT NULL,
  storage_key TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE trace_chunks (
  build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  offset INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (build_id, offset)
) WITHOUT ROWID;
`,
  },
  {
    version: 2,
    name: "instance settings",
    sql: `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
`,
  },
  {
    version: 3,
    name: "project sources",
    sql: `
CREATE TABLE project_sources (
  project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
  source_dir TEXT NOT NULL
);`,
  },
  {
    version: 4,
    name: "build image and services",
    sql: `
ALTER TABLE builds ADD COLUMN image TEXT;
ALTER TABLE builds ADD COLUMN services TEXT NOT NULL DEFAULT '[]';`,
  },
  {
    version: 5,
    name: "trace chunks in a rowid table",
    // WITHOUT ROWID kept each 1 KiB blob inside the primary-key B-tree: ~53 µs per append against ~31 µs
    // with the blob in a rowid table and (build_id, offset) in an index. Appends are the runner's hot path.
    sql: `
CREATE TABLE trace_chunks_v2 (
  id INTEGER PRIMARY KEY,
  build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  offset INTEGER NOT NULL,
  data BLOB NOT NULL
);
INSERT INTO trace_chunks_v2 (build_id, offset, data) SELECT build_id, offset, data FROM trace_chunks ORDER BY build_id, offset;
DROP TABLE trace_chunks;
ALTER TABLE trace_chunks_v2 RENAME TO trace_chunks;
CREATE UNIQUE INDEX trace_chunks_by_build ON trace_chunks (build_id, offset);`,
  },
  {
    version: 6,
    name: "dotenv report variables",
    sql: `ALTER TABLE builds ADD COLUMN dotenv_variables TEXT NOT NULL DEFAULT '[]';`,
  },
  {
    version: 7,
    name: "scheduled builds, resource groups, environments and cross-pipeline needs",
    sql: `
ALTER TABLE builds ADD COLUMN scheduled_at TEXT;
ALTER TABLE builds ADD COLUMN resource_group TEXT;
ALTER TABLE builds ADD COLUMN environment TEXT;
ALTER TABLE builds ADD COLUMN cross_dependencies TEXT NOT NULL DEFAULT '[]';
CREATE INDEX builds_by_scheduled_at ON builds (scheduled_at) WHERE status = 'scheduled';
CREATE INDEX builds_by_resource_group ON builds (project_id, resource_group, id) WHERE resource_group IS NOT NULL;
CREATE TABLE resource_groups (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  process_mode TEXT NOT NULL DEFAULT 'unordered',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (project_id, key)
);`,
  },
  {
    version: 8,
    name: "build image, services and cache for the runner",
    sql: `ALTER TABLE builds ADD COLUMN run_spec TEXT;`,
  },
  {
    version: 9,
    name: "environments and deployments",
    sql: `
CREATE TABLE environments (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  slug TEXT NOT NULL,
  external_url TEXT,
  state TEXT NOT NULL,
  tier TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  auto_stop_at TEXT,
  UNIQUE (project_id, name)
);
CREATE TABLE deployments (
  id INTEGER PRIMARY KEY,
  iid INTEGER NOT NULL,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
  build_id INTEGER NOT NULL UNIQUE REFERENCES builds(id) ON DELETE CASCADE,
  ref TEXT NOT NULL,
  sha TEXT NOT NULL,
  tag INTEGER NOT NULL,
  status TEXT NOT NULL,
  user_id INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  finished_at TEXT,
  UNIQUE (project_id, iid)
);
CREATE INDEX deployments_by_environment ON deployments (environment_id, id);`,
  },
  {
    version: 10,
    name: "project CI/CD variables",
    // GitLab's `ci_variables`: a key is unique per project and environment scope.
    sql: `
CREATE TABLE project_variables (
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  variable_type TEXT NOT NULL,
  protected INTEGER NOT NULL,
  masked INTEGER NOT NULL,
  raw INTEGER NOT NULL,
  environment_scope TEXT NOT NULL,
  description TEXT,
  PRIMARY KEY (project_id, key, environment_scope)
);`,
  },
  {
    version: 11,
    name: "junit test reports",
    // GitLab keeps a `junit` job artifact per build and parses it on read; buildsim parses it once, on
    // upload, and keeps the cases (or the parse error) as JSON.
    sql: `
CREATE TABLE test_reports (
  build_id INTEGER PRIMARY KEY REFERENCES builds(id) ON DELETE CASCADE,
  filename TEXT NOT NULL,
  size INTEGER NOT NULL,
  suite_error TEXT,
  cases TEXT NOT NULL,
  created_at TEXT NOT NULL
);`,
  },
  {
    version: 12,
    name: "trigger jobs and downstream pipelines",
    // GitLab keeps a bridge's `trigger:` in its options and links a downstream pipeline to the bridge that
    // created it in `ci_sources_pipelines` (source_job_id, source_pipeline_id).
    sql: `
ALTER TABLE builds ADD COLUMN trigger_options TEXT;
ALTER TABLE pipelines ADD COLUMN upstream_bridge_id INTEGER;
ALTER TABLE pipelines ADD COLUMN upstream_pipeline_id INTEGER;
CREATE INDEX pipelines_by_upstream_bridge ON pipelines (upstream_bridge_id);
CREATE INDEX pipelines_by_upstream_pipeline ON pipelines (upstream_pipeline_id);`,
  },
  {
    version: 13,
    name: "protected branches",
    // GitLab's `protected_branches` with one push and one merge access level each (what the CE API sets).
    // Existing projects keep what buildsim assumed before: their default branch protected, Maintainers only.
    sql: `
CREATE TABLE protected_branches (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  push_access_level INTEGER NOT NULL,
  merge_access_level INTEGER NOT NULL,
  allow_force_push INTEGER NOT NULL,
  UNIQUE (project_id, name)
);
INSERT INTO protected_branches (project_id, name, push_access_level, merge_access_level, allow_force_push)
  SELECT id, default_branch, 40, 40, 0 FROM projects ORDER BY id;`,
  },
  {
    version: 14,
    name: "pipeline variables",
    // GitLab's `ci_pipeline_variables`: what a pipeline was created with (API, trigger, `--var`).
    sql: `
CREATE TABLE pipeline_variables (
  pipeline_id INTEGER NOT NULL REFERENCES pipelines(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  variable_type TEXT NOT NULL,
  PRIMARY KEY (pipeline_id, position)
);`,
  },
  {
    version: 15,
    name: "pipeline trigger tokens",
    // GitLab's `ci_triggers`, and `ci_pipelines.trigger_id` for the pipelines each token ran (`last_used`).
    sql: `
CREATE TABLE pipeline_triggers (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  token TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL,
  owner_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX pipeline_triggers_by_project ON pipeline_triggers (project_id, id);
ALTER TABLE pipelines ADD COLUMN trigger_id INTEGER;
CREATE INDEX pipelines_by_trigger ON pipelines (trigger_id, id) WHERE trigger_id IS NOT NULL;`,
  },
  {
    version: 16,
    name: "builds by pipeline and status",
    // A status change recomputes its pipeline from the distinct (status, allow_failure) pairs of the
    // latest builds: with this index that is a few seeks, however many builds the pipeline has.
    sql: "CREATE INDEX builds_by_pipeline_status ON builds (pipeline_id, retried, status, allow_failure);",
  },
  {
    version: 17,
    name: "external commit statuses",
    // GitLab's `GenericCommitStatus` is a row of `ci_builds` with its own type: here a build with
    // `external_options` (target_url, description). No runner claims one, and the jobs APIs leave them out.
    sql: `ALTER TABLE builds ADD COLUMN external_options TEXT;`,
  },
  {
    version: 18,
    name: "pipeline processing indexes",
    // Processing decides a pipeline's `created` builds from what comes before them. These let it find the
    // lowest stage still holding created builds, list just that stage's, read the (status, allow_failure)
    // pairs of the stages before it (stage_idx joins the status index, which keeps serving the whole
    // pipeline's pairs as a prefix) and look builds up by the names a job `needs`, each in a few seeks,
    // however many created builds a later stage holds.
    sql: `DROP INDEX builds_by_pipeline_status;
CREATE INDEX builds_by_pipeline_status_stage ON builds (pipeline_id, retried, status, allow_failure, stage_idx);
CREATE INDEX builds_created_by_stage ON builds (pipeline_id, stage_idx, id) WHERE status = 'created' AND retried = 0 AND needs IS NULL;
CREATE INDEX builds_created_with_needs ON builds (pipeline_id, stage_idx, id) WHERE status = 'created' AND retried = 0 AND needs IS NOT NULL;
CREATE INDEX builds_latest_by_name ON builds (pipeline_id, name) WHERE retried = 0;`,
  },
  {
    version: 19,
    name: "latest builds by stage",
    // A job's payload lists the builds of the stages before it: read those, not the later stages.
    sql: "CREATE INDEX builds_latest_by_stage ON builds (pipeline_id, stage_idx, id) WHERE retried = 0;",
  },
  {
    version: 20,
    name: "pipeline iids and id floors",
    // GitLab's ids come from sequences and its iids from `internal_ids`: neither is handed out twice, also
    // once a pipeline is deleted. `iid` is stored now (it was counted), and `id_floors` keeps the highest
    // build id, pipeline id and per-project iid a deleted pipeline took with it.
    sql: `
ALTER TABLE pipelines ADD COLUMN iid INTEGER;
UPDATE pipelines SET iid = numbered.iid FROM
  (SELECT id, ROW_NUMBER() OVER (PARTITION BY project_id ORDER BY id) AS iid FROM pipelines) AS numbered
  WHERE pipelines.id = numbered.id;
CREATE INDEX pipelines_by_project_iid ON pipelines (project_id, iid);
CREATE TABLE id_floors (name TEXT PRIMARY KEY, last_id INTEGER NOT NULL) WITHOUT ROWID;`,
  },
  {
    version: 21,
    name: "build counts in slots",
    // A project's count of one status is the sum of its slots: each server of a PostgreSQL cluster moves
    // counts in a slot of its own, so claims on different servers do not all update (and serialize on)
    // one row. SQLite's one process uses slot 0, so its rows are what they were.
    sql: `
CREATE TABLE build_counts_slotted (
  project_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  slot INTEGER NOT NULL DEFAULT 0,
  n INTEGER NOT NULL,
  PRIMARY KEY (project_id, status, slot)
) WITHOUT ROWID;
INSERT INTO build_counts_slotted (project_id, status, slot, n) SELECT project_id, status, 0, n FROM build_counts;
DROP TABLE build_counts;
ALTER TABLE build_counts_slotted RENAME TO build_counts;`,
  },
  {
    version: 22,
    name: "builds by the names they need",
    // One row per (job, name it `needs`), written with the build: a status change looks up just the
    // created builds that need the job that moved, instead of every created build with `needs` (which made
    // a DAG pipeline's processing quadratic). build_id's index serves the cascade when builds are deleted.
    sql: `
CREATE TABLE build_needs (
  pipeline_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  build_id INTEGER NOT NULL REFERENCES builds(id) ON DELETE CASCADE,
  PRIMARY KEY (pipeline_id, name, build_id)
) WITHOUT ROWID;
CREATE INDEX build_needs_by_build ON build_needs (build_id);
INSERT OR IGNORE INTO build_needs (pipeline_id, name, build_id)
  SELECT b.pipeline_id, n.value, b.id FROM builds b, json_each(b.needs) n WHERE b.needs IS NOT NULL;`,
  },
  {
    version: 23,
    name: "list indexes hold only listed builds",
    // The builds API lists never show trigger jobs (bridges) or external ones: with those rows left out of
    // the list indexes, a page's ids come from the index alone instead of a table read per row to test
    // the two columns (a page 5 of a project's builds: ~34 µs → ~10 µs on 100,000 builds). The queries
    // name both conditions, so SQLite knows the partial index holds every row they want.
    sql: `
DROP INDEX builds_by_project;
DROP INDEX builds_by_project_status;
DROP INDEX builds_by_project_sha;
CREATE INDEX builds_listed_by_project ON builds (project_id, id DESC)
  WHERE trigger_options IS NULL AND external_options IS NULL;
CREATE INDEX builds_listed_by_project_status ON builds (project_id, status, id DESC)
  WHERE trigger_options IS NULL AND external_options IS NULL;
CREATE INDEX builds_listed_by_project_sha ON builds (project_id, sha, id DESC)
  WHERE trigger_options IS NULL AND external_options IS NULL;`,
  },
];
