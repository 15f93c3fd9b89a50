// The Build record as `builds` rows: reading a row into a Build and a Build into a row's parameters.

import type { Build } from "@buildsim/core";

/** A `builds` row joined with its artifacts row, as the driver answers it. */
export interface BuildRow {
  id: number;
  project_id: number;
  pipeline_id: number;
  name: string;
  stage: string;
  stage_idx: number;
  ref: string;
  tag: number;
  sha: string;
  status: string;
  when_: string;
  allow_failure: number;
  allow_failure_exit_codes: string;
  needs: string | null;
  dependencies: string | null;
  commands: string;
  before_script: string;
  after_script: string;
  variables: string;
  tag_list: string;
  timeout_s: number;
  artifacts_options: string | null;
  retry_max: number;
  retry_when: string | null;
  start_in_s: number | null;
  scheduled_at: string | null;
  resource_group: string | null;
  environment: string | null;
  cross_dependencies: string;
  trigger_options: string | null;
  external_options: string | null;
  image: string | null;
  services: string;
  run_spec: string | null;
  dotenv_variables: string;
  coverage: number | null;
  coverage_regex: string | null;
  created_at: string;
  queued_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  erased_at: string | null;
  erased_by_id: number | null;
  user_id: number | null;
  runner_id: number | null;
  failure_reason: string | null;
  exit_code: number | null;
  artifacts_expire_at: string | null;
  retried: number;
  token: string;
  trace_bytes: number;
  trace_updated_at: string | null;
  a_filename: string | null;
  a_size: number | null;
}

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

/**
 * The columns {@link SELECT} reads, in {@link BuildRow}'s order. Rows are read as arrays (the driver's
 * `raw` mode): building a 55-key object per row cost more than the lookup itself.
 */
const READ = [
  "id",
  "project_id",
  "pipeline_id",
  "name",
  "stage",
  "stage_idx",
  "ref",
  "tag",
  "sha",
  "status",
  "when_",
  "allow_failure",
  "allow_failure_exit_codes",
  "needs",
  "dependencies",
  "commands",
  "before_script",
  "after_script",
  "variables",
  "tag_list",
  "timeout_s",
  "artifacts_options",
  "retry_max",
  "retry_when",
  "start_in_s",
  "scheduled_at",
  "resource_group",
  "environment",
  "cross_dependencies",
  "trigger_options",
  "external_options",
  "image",
  "services",
  "run_spec",
  "dotenv_variables",
  "coverage",
  "coverage_regex",
  "created_at",
  "queued_at",
  "started_at",
  "finished_at",
  "erased_at",
  "erased_by_id",
  "user_id",
  "runner_id",
  "failure_reason",
  "exit_code",
  "artifacts_expire_at",
  "retried",
  "token",
  "trace_bytes",
  "trace_updated_at",
  "a_filename",
  "a_size",
] as const satisfies ReadonlyArray<keyof BuildRow>;

/** Each read column's position in a raw row. */
const I = Object.fromEntries(READ.map((c, i) => [c, i])) as Record<(typeof READ)[number], number>;

/** A row as the driver's raw mode answers it: {@link READ}'s values in order. */
export type RawBuildRow = readonly unknown[];

/** The Build record of a raw row read with {@link SELECT}. */
export function toBuild(r: RawBuildRow): Build {
  const row = <K extends keyof BuildRow>(k: K & (typeof READ)[number]) => r[I[k]] as BuildRow[K];
  const parsed = <T>(v: string | null): T | null => (v === null ? null : (JSON.parse(v) as T));
  const aFilename = row("a_filename");
  return {
    id: row("id"),
    projectId: row("project_id"),
    pipelineId: row("pipeline_id"),
    name: row("name"),
    stage: row("stage"),
    stageIdx: row("stage_idx"),
    ref: row("ref"),
    tag: row("tag") === 1,
    sha: row("sha"),
    status: row("status") as Build["status"],
    when: row("when_") as Build["when"],
    allowFailure: row("allow_failure") === 1,
    allowFailureExitCodes: JSON.parse(row("allow_failure_exit_codes")),
    needs: parsed(row("needs")),
    dependencies: parsed(row("dependencies")),
    commands: JSON.parse(row("commands")),
    beforeScript: JSON.parse(row("before_script")),
    afterScript: JSON.parse(row("after_script")),
    variables: JSON.parse(row("variables")),
    tagList: JSON.parse(row("tag_list")),
    timeoutS: row("timeout_s"),
    artifactsOptions: parsed(row("artifacts_options")),
    retryMax: row("retry_max"),
    retryWhen: parsed(row("retry_when")),
    startInS: row("start_in_s"),
    scheduledAt: row("scheduled_at"),
    resourceGroup: row("resource_group"),
    environment: parsed(row("environment")),
    crossDependencies: JSON.parse(row("cross_dependencies")),
    trigger: parsed(row("trigger_options")),
    external: parsed(row("external_options")),
    image: row("image"),
    services: JSON.parse(row("services")),
    runSpec: parsed(row("run_spec")),
    dotenvVariables: JSON.parse(row("dotenv_variables")),
    coverage: row("coverage"),
    coverageRegex: row("coverage_regex"),
    createdAt: row("created_at"),
    queuedAt: row("queued_at"),
    startedAt: row("started_at"),
    finishedAt: row("finished_at"),
    erasedAt: row("erased_at"),
    erasedById: row("erased_by_id"),
    userId: row("user_id"),
    runnerId: row("runner_id"),
    failureReason: row("failure_reason") as Build["failureReason"],
    exitCode: row("exit_code"),
    artifactsFile: aFilename === null ? null : { filename: aFilename, size: row("a_size") ?? 0 },
    artifactsExpireAt: row("artifacts_expire_at"),
    retried: row("retried") === 1,
    token: row("token"),
    trace: { bytes: row("trace_bytes"), updatedAt: row("trace_updated_at") },
  };
}

/** A Build as the named parameters of an insert or update. */
export function toParams(b: Build): Record<string, unknown> {
  return {
    id: b.id,
    project_id: b.projectId,
    pipeline_id: b.pipelineId,
    name: b.name,
    stage: b.stage,
    stage_idx: b.stageIdx,
    ref: b.ref,
    tag: b.tag ? 1 : 0,
    sha: b.sha,
    status: b.status,
    when_: b.when,
    allow_failure: b.allowFailure ? 1 : 0,
    allow_failure_exit_codes: JSON.stringify(b.allowFailureExitCodes),
    needs: json(b.needs),
    dependencies: json(b.dependencies),
    commands: JSON.stringify(b.commands),
    before_script: JSON.stringify(b.beforeScript),
    after_script: JSON.stringify(b.afterScript),
    variables: JSON.stringify(b.variables),
    tag_list: JSON.stringify(b.tagList),
    timeout_s: b.timeoutS,
    artifacts_options: json(b.artifactsOptions),
    retry_max: b.retryMax,
    retry_when: json(b.retryWhen),
    start_in_s: b.startInS,
    scheduled_at: b.scheduledAt,
    resource_group: b.resourceGroup,
    environment: json(b.environment),
    cross_dependencies: JSON.stringify(b.crossDependencies),
    trigger_options: json(b.trigger),
    external_options: json(b.external),
    image: b.image,
    services: JSON.stringify(b.services),
    run_spec: json(b.runSpec),
    dotenv_variables: JSON.stringify(b.dotenvVariables),
    coverage: b.coverage,
    coverage_regex: b.coverageRegex,
    created_at: b.createdAt,
    queued_at: b.queuedAt,
    started_at: b.startedAt,
    finished_at: b.finishedAt,
    erased_at: b.erasedAt,
    erased_by_id: b.erasedById,
    user_id: b.userId,
    runner_id: b.runnerId,
    failure_reason: b.failureReason,
    exit_code: b.exitCode,
    artifacts_expire_at: b.artifactsExpireAt,
    retried: b.retried ? 1 : 0,
    token: b.token,
    trace_bytes: b.trace.bytes,
    trace_updated_at: b.trace.updatedAt,
  };
}

/** The `builds` columns a Build fills, in insert order. */
export const COLUMNS = Object.keys(
  toParams({
    trace: { bytes: 0, updatedAt: null },
    allowFailureExitCodes: [],
    commands: [],
    beforeScript: [],
    afterScript: [],
    variables: [],
    tagList: [],
    services: [],
    dotenvVariables: [],
    crossDependencies: [],
  } as unknown as Build),
);
/** Builds with their artifacts' name and size (the entity shows both), read as {@link RawBuildRow}s. */
export const SELECT = `SELECT ${READ.map((c) =>
  c === "a_filename" ? "a.filename" : c === "a_size" ? "a.size" : `b.${c}`,
).join(", ")} FROM builds b LEFT JOIN artifacts a ON a.build_id = b.id`;
