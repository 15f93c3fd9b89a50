// One visible job's hash validated with GitLab's messages and normalized, `default:` applied.

import type { BuildArtifactsOptions, JobCache } from "@buildsim/core";
import type { CiCrossNeed, CiImage, CiJob, CiVariableDef } from "./ci-config-types.js";
import { isHash } from "./deep-merge.js";
import { compileRe2 } from "./re2-pattern.js";
import { readArtifacts } from "./read-artifacts.js";
import { readCache } from "./read-cache.js";
import { readAllowFailure, readRetry } from "./read-failure-handling.js";
import {
  checkIdTokens,
  checkPages,
  checkPublish,
  checkRelease,
  checkSecrets,
  readEnvironment,
  readResourceGroup,
} from "./read-job-keywords.js";
import { readMatrix, readNeeds } from "./read-needs.js";
import { readPolicy, readRules } from "./read-rules.js";
import { BRIDGE_KEYS, BRIDGE_WHEN, readTrigger } from "./read-trigger.js";
import {
  at,
  checkKeys,
  type EntryScope,
  readBoolean,
  readDuration,
  readImage,
  readScript,
  readServices,
  readStringArray,
  readVariables,
  subScope,
} from "./read-values.js";

const JOB_KEYS = [
  "tags",
  "script",
  "only",
  "except",
  "rules",
  "type",
  "image",
  "services",
  "allow_failure",
  "stage",
  "when",
  "start_in",
  "artifacts",
  "cache",
  "dependencies",
  "before_script",
  "needs",
  "after_script",
  "variables",
  "environment",
  "coverage",
  "retry",
  "parallel",
  "extends",
  "interruptible",
  "timeout",
  "resource_group",
  "inherit",
  "release",
  "secrets",
  "id_tokens",
  "hooks",
  "identity",
  "pages",
  "publish",
  "manual_confirmation",
];
const JOB_WHEN = ["on_success", "on_failure", "always", "manual", "delayed"] as const;
const ONE_WEEK_S = 7 * 86400;
const ONE_MONTH_S = 30 * 86400;
export const PARALLEL_LIMIT = 200;

/** The keys `default:` (and the deprecated root-level keywords) can give a job. */
export interface JobDefaults {
  beforeScript: string[] | null;
  afterScript: string[] | null;
  image: CiImage | null;
  services: CiImage[] | null;
  cache: JobCache[] | null;
  tags: string[] | null;
  timeoutS: number | null;
  retry: { max: number; when: string[] | null } | null;
  artifacts: BuildArtifactsOptions | null;
  interruptible: boolean | null;
}

/** `parallel:` before expansion. */
export type ParallelSpec =
  | { kind: "number"; total: number }
  | { kind: "matrix"; instances: CiVariableDef[][] };

/** A validated job before `parallel:` expansion. */
export type JobDraft = Omit<CiJob, "name" | "baseName" | "parallel"> & {
  parallelSpec: ParallelSpec | null;
  inheritVariables: boolean | string[];
};

function readParallel(scope: EntryScope): ParallelSpec | null {
  const value = scope.hash.parallel;
  const location = `${scope.location}:parallel`;
  const pos = at(scope, "parallel");
  if (typeof value === "number") {
    if (!Number.isInteger(value)) scope.problems.add(pos, `${location} config must be an integer`);
    else if (value < 1) scope.problems.add(pos, `${location} config must be greater than or equal to 1`);
    else if (value > PARALLEL_LIMIT) {
      scope.problems.add(pos, `${location} config must be less than or equal to ${PARALLEL_LIMIT}`);
    } else return { kind: "number", total: value };
    return null;
  }
  if (!isHash(value)) {
    scope.problems.add(pos, `${location} should be an integer or a hash`);
    return null;
  }
  const inner: EntryScope = { location, hash: value, pos, problems: scope.problems };
  checkKeys(inner, ["matrix"]);
  const matrix = value.matrix;
  if (!Array.isArray(matrix) || matrix.length === 0 || !matrix.every(isHash)) {
    scope.problems.add(at(inner, "matrix"), `${location}:matrix config should be an array of hashes`);
    return null;
  }
  const instances = readMatrix(scope, matrix, `${location}:matrix`, pos);
  if (!instances) return null;
  if (instances.length > PARALLEL_LIMIT) {
    scope.problems.add(
      at(inner, "matrix"),
      `${location}:matrix config generates too many jobs (maximum is ${PARALLEL_LIMIT})`,
    );
    return null;
  }
  return { kind: "matrix", instances };
}

function readInherit(scope: EntryScope): { defaults: boolean | string[]; variables: boolean | string[] } {
  const result = { defaults: true as boolean | string[], variables: true as boolean | string[] };
  const inner = subScope(scope, "inherit", `${scope.location}:inherit config should be a hash`);
  if (!inner) return result;
  checkKeys(inner, ["default", "variables"]);
  for (const [key, field] of [
    ["default", "defaults"],
    ["variables", "variables"],
  ] as const) {
    const v = inner.hash[key];
    if (v === undefined) continue;
    if (typeof v === "boolean" || (Array.isArray(v) && v.every((x) => typeof x === "string")))
      result[field] = v;
    else
      inner.problems.add(
        at(inner, key),
        `${inner.location}:${key} config should be a boolean value or an array of strings`,
      );
  }
  return result;
}

/** GitLab's Entry::Tags: an array of strings, at most 50 of them. */
const TAGS_LIMIT = 50;
function readTags(scope: EntryScope): string[] {
  const location = `${scope.location}:tags`;
  const tags = readStringArray(scope, "tags", `${location} config should be an array of strings`) ?? [];
  if (tags.length > TAGS_LIMIT)
    scope.problems.add(
      at(scope, "tags"),
      `${location} config must be less than the limit of ${TAGS_LIMIT} tags`,
    );
  return tags;
}

/** No `default:` keys: what a file without `default:` gives, and all a trigger job gets (no script, image,
 * cache or runner settings reach it). Frozen: readers copy it before filling it in. */
export const NO_DEFAULTS: Readonly<JobDefaults> = Object.freeze({
  beforeScript: null,
  afterScript: null,
  image: null,
  services: null,
  cache: null,
  tags: null,
  timeoutS: null,
  retry: null,
  artifacts: null,
  interruptible: null,
});

/**
 * Validates a visible job's hash; problems go to `scope.problems`, the draft is always returned. A hash
 * with `trigger:` and no `script:` is a trigger job (GitLab's Entry::Bridge); with both it is a job, whose
 * keys do not include `trigger` (Entry::Jobs tries Entry::Job first).
 */
export function readJob(scope: EntryScope, jobDefaults: JobDefaults): JobDraft {
  const h = scope.hash;
  const { location, problems } = scope;
  const bridge = h.trigger !== undefined && h.script === undefined && h.run === undefined;
  const defaults = bridge ? NO_DEFAULTS : jobDefaults;
  checkKeys(scope, bridge ? BRIDGE_KEYS : JOB_KEYS);
  const has = (key: string): boolean => h[key] !== undefined && h[key] !== null;
  const inherit = has("inherit") ? readInherit(scope) : { defaults: true, variables: true };
  const inherits = (key: string): boolean =>
    inherit.defaults === true || (Array.isArray(inherit.defaults) && inherit.defaults.includes(key));
  const whenValues: readonly string[] = bridge ? BRIDGE_WHEN : JOB_WHEN;

  if (has("rules")) {
    const clashing = ["only", "except", "start_in"].filter((k) => h[k] !== undefined);
    if (clashing.length > 0) {
      problems.add(
        at(scope, clashing[0]!),
        `${location} config key may not be used with \`rules\`: ${clashing.join(", ")}`,
      );
    }
  }
  // `script: []` is as blank as `script:` for GitLab's presence validation.
  if (h.script === null || (Array.isArray(h.script) && h.script.flat(10).length === 0))
    problems.add(at(scope, "script"), `${location} script can't be blank`);
  if (Array.isArray(h.rules) && h.rules.length === 0)
    problems.add(at(scope, "rules"), `${location}:rules config can't be blank`);
  const stageKey = has("stage") ? "stage" : has("type") ? "type" : null;
  let stage = "test";
  if (stageKey) {
    if (typeof h[stageKey] === "string") stage = h[stageKey] as string;
    else problems.add(at(scope, stageKey), `${location}:${stageKey} config should be a string`);
  }
  let when: JobDraft["when"] = "on_success";
  if (has("when")) {
    if (typeof h.when === "string" && whenValues.includes(h.when)) when = h.when as JobDraft["when"];
    else problems.add(at(scope, "when"), `${location} when should be one of: ${whenValues.join(", ")}`);
  }
  let startInS: number | null = null;
  if (when === "delayed" && !has("rules")) {
    startInS = readDuration(scope, "start_in", `${location} start in should be a duration`, ONE_WEEK_S);
  } else if (has("start_in") && !has("rules")) {
    problems.add(at(scope, "start_in"), `${location} start in must be blank`);
  }
  let allowFailure: { allow: boolean | null; codes: number[] } = { allow: null, codes: [] };
  if (has("allow_failure") && bridge) {
    // Entry::Bridge: a boolean only (no `exit_codes`: a trigger job has no exit code).
    const allow = readBoolean(scope, "allow_failure", `${location} allow failure should be a boolean value`);
    allowFailure = { allow, codes: [] };
  } else if (has("allow_failure")) allowFailure = readAllowFailure(scope);
  const retry = has("retry") ? readRetry(scope) : inherits("retry") ? defaults.retry : null;
  const stringArray = (key: string): string[] | null =>
    readStringArray(scope, key, `${location} ${key} should be an array of strings`);
  let timeoutS = inherits("timeout") ? defaults.timeoutS : null;
  if (has("timeout"))
    timeoutS = readDuration(scope, "timeout", `${location}:timeout config should be a duration`, ONE_MONTH_S);
  let coverageRegex: string | null = null;
  if (has("coverage")) {
    // GitLab compiles it as RE2 (`Gitlab::UntrustedRegexp`): `(?i)` is fine, a bad pattern is refused.
    if (
      typeof h.coverage === "string" &&
      /^\/.+\/$/.test(h.coverage) &&
      compileRe2(h.coverage.slice(1, -1)) !== null
    )
      coverageRegex = h.coverage.slice(1, -1);
    else problems.add(at(scope, "coverage"), `${location}:coverage config must be a regular expression`);
  }
  // Accepted and validated; a local run cannot act on them (the loader says so once per run).
  if (has("release")) checkRelease(scope);
  if (has("pages")) checkPages(scope);
  if (has("publish")) checkPublish(scope);
  if (has("secrets")) checkSecrets(scope);
  if (has("id_tokens")) checkIdTokens(scope);
  const crossNeeds: CiCrossNeed[] = [];
  let needs = has("needs") ? readNeeds(scope, crossNeeds) : null;
  // Only cross-pipeline needs: the job still follows stage order (GitLab schedules by stage without job needs).
  if (needs?.length === 0 && crossNeeds.length > 0) needs = null;
  const dependencies = has("dependencies") ? stringArray("dependencies") : null;
  if (needs && dependencies) {
    const missing = dependencies.filter((d) => !needs.some((n) => n.job === d));
    if (missing.length > 0) {
      problems.add(
        at(scope, "dependencies"),
        `${location} dependencies the ${missing.join(", ")} should be part of needs`,
      );
    }
  }
  return {
    stage,
    script: has("script") ? (readScript(scope, "script") ?? []) : [],
    beforeScript: has("before_script")
      ? (readScript(scope, "before_script") ?? [])
      : inherits("before_script")
        ? (defaults.beforeScript ?? [])
        : [],
    afterScript: has("after_script")
      ? (readScript(scope, "after_script") ?? [])
      : inherits("after_script")
        ? (defaults.afterScript ?? [])
        : [],
    image: has("image") ? readImage(scope, "image") : inherits("image") ? defaults.image : null,
    services: has("services")
      ? readServices(scope, "services")
      : inherits("services")
        ? (defaults.services ?? [])
        : [],
    cache: has("cache") ? readCache(scope, "cache") : inherits("cache") ? (defaults.cache ?? []) : [],
    tags: has("tags") ? readTags(scope) : inherits("tags") ? (defaults.tags ?? []) : [],
    when,
    startInS,
    allowFailure: allowFailure.allow,
    allowFailureExitCodes: allowFailure.codes,
    retryMax: retry?.max ?? 0,
    retryWhen: retry?.when ?? null,
    timeoutS,
    artifacts: has("artifacts") ? readArtifacts(scope) : inherits("artifacts") ? defaults.artifacts : null,
    needs,
    crossNeeds,
    dependencies,
    variables: has("variables") ? readVariables(scope, "variables") : [],
    rules: has("rules") ? readRules(scope, "rules", false) : null,
    only: has("only") ? readPolicy(scope, "only") : null,
    except: has("except") ? readPolicy(scope, "except") : null,
    coverageRegex,
    interruptible: has("interruptible")
      ? readBoolean(scope, "interruptible", `${location}:interruptible config should be a boolean value`)
      : inherits("interruptible")
        ? defaults.interruptible
        : null,
    environment: has("environment") ? readEnvironment(scope) : null,
    resourceGroup: has("resource_group") ? readResourceGroup(scope) : null,
    trigger: bridge ? readTrigger(scope) : null,
    pos: scope.pos,
    parallelSpec: has("parallel") ? readParallel(scope) : null,
    inheritVariables: inherit.variables,
  };
}
