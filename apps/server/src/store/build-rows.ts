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

/** The Build record of a row. */
export function toBuild(r: BuildRow): Build {
  return {
    id: r.id,
    projectId: r.project_id,
    pipelineId: r.pipeline_id,
    name: r.name,
    stage: r.stage,
    stageIdx: r.stage_idx,
    ref: r.ref,
    tag: r.tag === 1,
    sha: r.sha,
    status: r.status as Build["status"],
    when: r.when_ as Build["when"],
    allowFailure: r.allow_failure === 1,
    allowFailureExitCodes: JSON.parse(r.allow_failure_exit_codes),
    needs: r.needs === null ? null : JSON.parse(r.needs),
    dependencies: r.dependencies === null ? null : JSON.parse(r.dependencies),
    commands: JSON.parse(r.commands),
    beforeScript: JSON.parse(r.before_script),
    afterScript: JSON.parse(r.after_script),
    variables: JSON.parse(r.variables),
    tagList: JSON.parse(r.tag_list),
    timeoutS: r.timeout_s,
    artifactsOptions: r.artifacts_options === null ? null : JSON.parse(r.artifacts_options),
    retryMax: r.retry_max,
    retryWhen: r.retry_when === null ? null : JSON.parse(r.retry_when),
    startInS: r.start_in_s,
    scheduledAt: r.scheduled_at,
    resourceGroup: r.resource_group,
    environment: r.environment === null ? null : JSON.parse(r.environment),
    crossDependencies: JSON.parse(r.cross_dependencies),
    trigger: r.trigger_options === null ? null : JSON.parse(r.trigger_options),
    external: r.external_options === null ? null : JSON.parse(r.external_options),
    image: r.image,
    services: JSON.parse(r.services),
    runSpec: r.run_spec === null ? null : JSON.parse(r.run_spec),
    dotenvVariables: JSON.parse(r.dotenv_variables),
    coverage: r.coverage,
    coverageRegex: r.coverage_regex,
    createdAt: r.created_at,
    queuedAt: r.queued_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    erasedAt: r.erased_at,
    erasedById: r.erased_by_id,
    userId: r.user_id,
    runnerId: r.runner_id,
    failureReason: r.failure_reason as Build["failureReason"],
    exitCode: r.exit_code,
    artifactsFile: r.a_filename === null ? null : { filename: r.a_filename, size: r.a_size ?? 0 },
    artifactsExpireAt: r.artifacts_expire_at,
    retried: r.retried === 1,
    token: r.token,
    trace: { bytes: r.trace_bytes, updatedAt: r.trace_updated_at },
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
/** Builds with their artifacts' name and size (the entity shows both). */
export const SELECT =
  "SELECT b.*, a.filename AS a_filename, a.size AS a_size FROM builds b LEFT JOIN artifacts a ON a.build_id = b.id";
