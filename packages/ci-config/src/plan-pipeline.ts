// Decides which jobs a pipeline gets, as GitLab's pipeline creation chain does: workflow:rules, then each
// job's rules or only/except, then needs on left-out jobs. Pure: the repository answers through callbacks.

import type { Build, BuildVariable, JobCache, JobImage, JobService } from "@buildsim/core";
import type { CiConfig, CiImage, CiJob, CiNeed, CiPolicy, CiRule, CiVariableDef } from "./ci-config-types.js";
import { type ExpandableVariable, expandExisting, expandedRecord } from "./expand-variables.js";
import { matchesRefs } from "./match-refs.js";
import type { PipelineContext } from "./pipeline-context.js";
import { pipelineVariables, refSlug } from "./predefined-variables.js";

/** The `Build` fields a planned job defines; the server adds ids, ref, sha, token, status and timestamps. */
export type PlannedBuildFields = Pick<
  Build,
  | "name"
  | "stage"
  | "stageIdx"
  | "when"
  | "allowFailure"
  | "allowFailureExitCodes"
  | "needs"
  | "dependencies"
  | "commands"
  | "beforeScript"
  | "afterScript"
  | "variables"
  | "tagList"
  | "timeoutS"
  | "artifactsOptions"
  | "retryMax"
  | "retryWhen"
  | "startInS"
  | "coverageRegex"
  | "resourceGroup"
  | "environment"
  | "crossDependencies"
  | "trigger"
>;

/**
 * One job of the planned pipeline: the fields of core's `Build` it defines, plus what the runner reports.
 * `commands` holds `script:` only; the runner's script step is `beforeScript` then `commands`.
 */
export interface PlannedJob extends PlannedBuildFields {
  /** The job's name in the file (`rspec` for `rspec 1/3`): GitLab's `CI_JOB_GROUP_NAME`. */
  groupName: string;
  /** Needs whose artifacts are not downloaded (`needs: [{job, artifacts: false}]`). */
  needsWithoutArtifacts: string[];
  image: CiImage | null;
  services: CiImage[];
  cache: JobCache[];
  interruptible: boolean | null;
}

/** The outcome of planning: a pipeline with jobs, or GitLab's reason for creating none. */
export type PipelinePlan =
  | { created: true; stages: string[]; variables: BuildVariable[]; jobs: PlannedJob[] }
  | { created: false; reason: string };

const fromRecord = (vars: Readonly<Record<string, string>>): ExpandableVariable[] =>
  Object.entries(vars).map(([key, value]) => ({ key, value }));

const yamlLayer = (defs: readonly CiVariableDef[]): ExpandableVariable[] =>
  defs.map((d) => (d.raw ? { key: d.key, value: d.value, raw: true } : { key: d.key, value: d.value }));

function ruleMatches(rule: CiRule, vars: Record<string, string>, ctx: PipelineContext): boolean {
  if (rule.if && !rule.if.evaluate(vars)) return false;
  // `rules:changes` and `rules:exists` paths may use variables.
  const expand = (paths: string[]): string[] => paths.map((p) => expandExisting(p, vars));
  if (rule.changes && !ctx.changes(expand(rule.changes.paths))) return false;
  if (rule.exists && !ctx.exists(expand(rule.exists.paths))) return false;
  return true;
}

/** `only:`: every listed kind (refs, variables, changes) must be satisfied. */
function onlySatisfied(policy: CiPolicy, vars: Record<string, string>, ctx: PipelineContext): boolean {
  if (policy.refs && !matchesRefs(policy.refs, ctx)) return false;
  if (policy.variables && !policy.variables.some((e) => e.evaluate(vars))) return false;
  if (policy.changes && !ctx.changes(policy.changes.paths)) return false;
  if (policy.kubernetes) return false;
  return true;
}

/** `except:`: the job is left out when any listed kind is satisfied. */
function exceptSatisfied(policy: CiPolicy, vars: Record<string, string>, ctx: PipelineContext): boolean {
  if (policy.refs && matchesRefs(policy.refs, ctx)) return true;
  if (policy.variables?.some((e) => e.evaluate(vars))) return true;
  if (policy.changes && ctx.changes(policy.changes.paths)) return true;
  // `kubernetes: active` is never true locally, so it never excludes.
  return false;
}

/**
 * The jobs whose artifacts a job downloads. With `needs:`, only needs with `artifacts: true` qualify, and
 * `dependencies:` can only narrow them: a need with `artifacts: false` wins over `dependencies:` listing
 * it (Ci::BuildDependencies#from_needs, then #from_dependencies).
 */
function dependenciesOf(job: CiJob): string[] | null {
  if (!job.needs) return job.dependencies;
  const withArtifacts = job.needs.filter((n) => n.artifacts).map((n) => n.job);
  return job.dependencies ? job.dependencies.filter((d) => withArtifacts.includes(d)) : withArtifacts;
}

function globalFor(job: CiJob, global: readonly CiVariableDef[]): CiVariableDef[] {
  if (job.inheritVariables === true) return [...global];
  if (job.inheritVariables === false) return [];
  const allowed = job.inheritVariables;
  return global.filter((v) => allowed.includes(v.key));
}

interface Decision {
  when: PlannedJob["when"];
  allowFailure: boolean;
  exitCodes: number[];
  startInS: number | null;
  ruleVariables: CiVariableDef[];
  needs: CiNeed[] | null;
  interruptible: boolean | null;
}

function decide(
  job: CiJob,
  vars: Record<string, string>,
  ctx: PipelineContext,
  workflowRules: boolean,
): Decision | null {
  // Without `allow_failure:`, only a job-level `when: manual` makes a job allowed to fail.
  const jobAllow = job.allowFailure ?? job.when === "manual";
  if (job.rules) {
    const rule = job.rules.find((r) => ruleMatches(r, vars, ctx));
    if (!rule || rule.when === "never") return null;
    const allowFailure = rule.allowFailure ?? jobAllow;
    return {
      when: rule.when ?? job.when,
      allowFailure,
      exitCodes: rule.allowFailure === null ? job.allowFailureExitCodes : [],
      startInS: rule.startInS ?? job.startInS,
      ruleVariables: rule.variables,
      needs: rule.needs ?? job.needs,
      interruptible: rule.interruptible ?? job.interruptible,
    };
  }
  // GitLab's default `only: [branches, tags]` disappears once the file has workflow:rules.
  const only =
    job.only ??
    (workflowRules
      ? null
      : { refs: ["branches", "tags"], variables: null, changes: null, kubernetes: false });
  if (only && !onlySatisfied(only, vars, ctx)) return null;
  if (job.except && exceptSatisfied(job.except, vars, ctx)) return null;
  return {
    when: job.when,
    allowFailure: jobAllow,
    exitCodes: job.allowFailureExitCodes,
    startInS: job.startInS,
    ruleVariables: [],
    needs: job.needs,
    interruptible: job.interruptible,
  };
}

/** Plans the pipeline `config` creates for `ctx`. Never throws for a valid config. */
export function planPipeline(config: CiConfig, ctx: PipelineContext): PipelinePlan {
  const predefined = pipelineVariables(ctx);
  const user = ctx.variables ?? {};
  const userOptions = ctx.variableOptions ?? {};
  // The pipeline's variables with their types (a raw one is never expanded, in rules neither).
  const userLayer: ExpandableVariable[] = fromRecord(user).map((v) =>
    Object.hasOwn(userOptions, v.key) ? { ...v, ...userOptions[v.key] } : v,
  );
  const project = ctx.projectVariables ?? [];
  let workflowVariables: CiVariableDef[] = [];
  if (config.workflowRules) {
    // Variables in rules:if see the expanded values of the variables they reference (GitLab MR 204549).
    const vars = expandedRecord([
      ...fromRecord(predefined),
      ...yamlLayer(config.variables),
      ...project,
      ...userLayer,
    ]);
    const rule = config.workflowRules.find((r) => ruleMatches(r, vars, ctx));
    if (!rule || rule.when === "never")
      return { created: false, reason: "Pipeline filtered out by workflow rules." };
    workflowVariables = rule.variables;
  }

  const planned: PlannedJob[] = [];
  const chosenNeeds = new Map<string, CiNeed[]>();
  for (const job of config.jobs) {
    const jobPredefined: Record<string, string> = {
      CI_JOB_GROUP_NAME: job.baseName,
      CI_JOB_NAME: job.name,
      CI_JOB_NAME_SLUG: refSlug(job.name),
      CI_JOB_STAGE: job.stage,
      CI_NODE_TOTAL: String(job.parallel?.total ?? 1),
    };
    if (job.parallel) jobPredefined.CI_NODE_INDEX = String(job.parallel.index);
    // The file's variables, lowest to highest precedence: global (or what `inherit` keeps), workflow
    // rule, job, matrix. Only these are stored on the build, as GitLab's `yaml_variables`.
    const yaml: ExpandableVariable[] = [
      ...yamlLayer(globalFor(job, config.variables)),
      ...yamlLayer(workflowVariables),
      ...yamlLayer(job.variables),
      ...yamlLayer(job.parallel?.variables ?? []),
    ];
    // Rules see predefined, file, project and pipeline variables, each reference expanded.
    const evalVars = expandedRecord([
      ...fromRecord(predefined),
      ...fromRecord(jobPredefined),
      ...yaml,
      ...project,
      ...userLayer,
    ]);
    const decision = decide(job, evalVars, ctx, config.workflowRules !== null);
    if (!decision) continue;
    const byKey = new Map<string, ExpandableVariable>();
    // The parallel instance's predefined variables travel with the build (GitLab keeps them in its options).
    const node = fromRecord(jobPredefined).filter((v) => /^CI_(NODE_|JOB_GROUP_NAME)/.test(v.key));
    for (const v of [...node, ...yaml, ...yamlLayer(decision.ruleVariables)]) {
      byKey.delete(v.key);
      byKey.set(v.key, v);
    }
    const variables: BuildVariable[] = [...byKey.values()]
      .filter((v) => !Object.hasOwn(user, v.key))
      .map((v) => ({ key: v.key, value: v.value, public: true, ...(v.raw ? { raw: true } : {}) }));
    for (const v of userLayer)
      variables.push({
        key: v.key,
        value: v.value,
        public: false,
        ...(v.raw ? { raw: true } : {}),
        ...(v.file ? { file: true } : {}),
      });
    // What GitLab expands `environment`, `resource_group` and `needs:project` with: every job variable,
    // nested references resolved.
    const yamlVars = expandedRecord([
      ...fromRecord(predefined),
      ...fromRecord(jobPredefined),
      ...yaml,
      ...yamlLayer(decision.ruleVariables),
      ...project,
      ...userLayer,
    ]);
    const jobVars = yamlVars;
    const needs = decision.needs?.map((n) => n.job) ?? null;
    planned.push({
      name: job.name,
      groupName: job.baseName,
      stage: job.stage,
      stageIdx: config.stages.indexOf(job.stage),
      when: decision.when,
      allowFailure: decision.allowFailure,
      allowFailureExitCodes: decision.allowFailure ? decision.exitCodes : [],
      needs,
      needsWithoutArtifacts: job.needs?.filter((n) => !n.artifacts).map((n) => n.job) ?? [],
      dependencies: dependenciesOf(job),
      crossDependencies: job.crossNeeds.map((n) => ({
        project: n.project === null ? null : expandExisting(n.project, jobVars),
        ref: n.ref === null ? null : expandExisting(n.ref, jobVars),
        pipeline: n.pipeline === null ? null : expandExisting(n.pipeline, jobVars),
        job: n.job,
        artifacts: n.artifacts,
      })),
      commands: job.script,
      beforeScript: job.beforeScript,
      afterScript: job.afterScript,
      variables,
      tagList: job.tags,
      timeoutS: job.timeoutS ?? ctx.defaultTimeoutS ?? 3600,
      artifactsOptions: job.artifacts,
      retryMax: job.retryMax,
      retryWhen: job.retryWhen,
      startInS: decision.when === "delayed" ? decision.startInS : null,
      coverageRegex: job.coverageRegex,
      // GitLab expands `resource_group` and `environment` name/url with the job's variables.
      resourceGroup: job.resourceGroup === null ? null : expandExisting(job.resourceGroup, jobVars),
      environment: job.environment && {
        ...job.environment,
        name: expandExisting(job.environment.name, jobVars),
        url: job.environment.url === null ? null : expandExisting(job.environment.url, jobVars),
        autoStopIn: job.environment.autoStopIn && expandExisting(job.environment.autoStopIn, jobVars),
      },
      // Ci::Bridge#downstream_project_path and #target_ref expand `project` and `branch` with the job's variables.
      trigger: job.trigger && {
        ...job.trigger,
        project: job.trigger.project === null ? null : expandExisting(job.trigger.project, jobVars),
        branch: job.trigger.branch === null ? null : expandExisting(job.trigger.branch, jobVars),
      },
      image: job.image,
      services: job.services,
      cache: job.cache,
      interruptible: decision.interruptible,
    });
    chosenNeeds.set(job.name, decision.needs ?? []);
  }

  // A need on a job that was left out fails pipeline creation, unless the need is optional.
  const present = new Set(planned.map((j) => j.name));
  for (const job of planned) {
    for (const need of chosenNeeds.get(job.name) ?? []) {
      if (present.has(need.job)) continue;
      if (!need.optional) {
        return {
          created: false,
          reason: `'${job.name}' job needs '${need.job}' job, but '${need.job}' is not in any previous stage`,
        };
      }
      job.needs = job.needs?.filter((n) => n !== need.job) ?? null;
      job.needsWithoutArtifacts = job.needsWithoutArtifacts.filter((n) => n !== need.job);
    }
    // Dependencies on left-out jobs download nothing, as in GitLab.
    if (job.dependencies) job.dependencies = job.dependencies.filter((n) => present.has(n));
  }
  // Jobs in .pre and .post alone do not make a pipeline.
  if (planned.every((j) => j.stage === ".pre" || j.stage === ".post")) {
    return {
      created: false,
      reason:
        "Pipeline will not run for the selected trigger. The rules configuration prevented any jobs from being added to the pipeline.",
    };
  }
  // Builds are ordered by stage; within a stage they keep the file's order.
  const jobs = planned
    .map((job, order) => ({ job, order }))
    .sort((a, b) => a.job.stageIdx - b.job.stageIdx || a.order - b.order)
    .map(({ job }) => job);
  const pipelineVars = [...yamlLayer(config.variables), ...yamlLayer(workflowVariables)];
  return {
    created: true,
    stages: config.stages.filter((s) => jobs.some((j) => j.stage === s)),
    variables: pipelineVars.map((v) => ({ key: v.key, value: v.value, public: true })),
    jobs,
  };
}

/** The `Build` fields of a planned job (image and services by name), ready to spread into a build. */
export function buildFieldsOf(
  job: PlannedJob,
): PlannedBuildFields & Pick<Build, "image" | "services" | "runSpec"> {
  const {
    needsWithoutArtifacts: _n,
    image,
    services,
    cache,
    interruptible: _r,
    groupName: _g,
    ...fields
  } = job;
  return {
    ...fields,
    image: image?.name ?? null,
    services: services.map((s) => s.name),
    runSpec: { image: image ? jobImageOf(image) : null, services: services.map(jobServiceOf), cache },
  };
}

function jobImageOf(image: CiImage): JobImage {
  return {
    name: image.name,
    ...(image.entrypoint ? { entrypoint: image.entrypoint } : {}),
    ...(image.pullPolicy ? { pullPolicy: image.pullPolicy } : {}),
    ...(image.user ? { user: image.user } : {}),
  };
}

/** A service: `alias:` may list several names, comma-separated (GitLab Runner splits them). */
function jobServiceOf(service: CiImage): JobService {
  return {
    ...jobImageOf(service),
    aliases: (service.alias ?? "")
      .split(",")
      .map((a) => a.trim())
      .filter((a) => a !== ""),
    ...(service.command ? { command: service.command } : {}),
    variables: service.variables ?? [],
  };
}
