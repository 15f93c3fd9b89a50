// Loads a `.gitlab-ci.yml` with its includes into a validated `CiConfig`, collecting every problem with
// its position: YAML → include:local → extends → !reference → root/job validation → logical checks.

import { checkGraph } from "./check-graph.js";
import type { CiConfig, CiJob, CiRule, CiVariableDef } from "./ci-config-types.js";
import { isHash } from "./deep-merge.js";
import { expandParallel } from "./expand-parallel.js";
import { type CiFileReader, type IncludeOptions, loadWithIncludes } from "./load-includes.js";
import { readArtifacts } from "./read-artifacts.js";
import { readCache } from "./read-cache.js";
import { readRetry } from "./read-failure-handling.js";
import { type JobDefaults, type JobDraft, NO_DEFAULTS, readJob } from "./read-job.js";
import { checkIdTokens } from "./read-job-keywords.js";
import { readRules } from "./read-rules.js";
import {
  at,
  checkKeys,
  type EntryScope,
  ROOT_VARIABLE_KEYS,
  readBoolean,
  readDuration,
  readImage,
  readScript,
  readServices,
  readStringArray,
  readVariables,
} from "./read-values.js";
import { resolveExtends } from "./resolve-extends.js";
import { resolveReferences } from "./resolve-references.js";
import { type CiProblem, keyPos, ProblemList, type SourcePos } from "./source-pos.js";

/** Root keywords; every other top-level key is a job (hidden when it starts with a dot). */
const ROOT_KEYS = [
  "default",
  "include",
  "before_script",
  "image",
  "services",
  "after_script",
  "variables",
  "stages",
  "types",
  "cache",
  "workflow",
];
const DEFAULT_KEYS = [
  "after_script",
  "artifacts",
  "before_script",
  "cache",
  "hooks",
  "image",
  "interruptible",
  "retry",
  "services",
  "tags",
  "timeout",
  "id_tokens",
  "identity",
];
/**
 * Valid keywords a local run cannot act on, with what it does instead. Lint says so once per keyword and
 * run (naming the jobs), not once per job.
 */
const NO_LOCAL_EFFECT: Record<string, string> = {
  release: "is accepted, but a local run creates no releases",
  secrets: "is accepted, but a local run fetches no secrets: the jobs get no secret variables",
  id_tokens: "is accepted, but a local run issues no ID tokens: the jobs get no token variables",
  pages: "is accepted, but a local run deploys no Pages site: the job runs and keeps its artifacts",
  hooks: "has no effect in a local run",
  identity: "has no effect in a local run",
  manual_confirmation: "has no effect in a local run",
};
/** GitLab's stages when the file has no `stages:`. */
export const DEFAULT_STAGES: readonly string[] = ["build", "test", "deploy"];

export interface LoadCiConfigOptions extends IncludeOptions {
  /** Repository path of the entry file. @default ".gitlab-ci.yml" */
  entryFile?: string;
  /** Reads repository files (the entry file and every `include:local`). */
  readFile: CiFileReader;
}

export interface LoadCiConfigResult {
  /** The config, or null when there is any problem. */
  config: CiConfig | null;
  problems: CiProblem[];
  /** Valid GitLab config buildsim does not run (e.g. `run:` steps), reported rather than dropped silently. */
  warnings: CiProblem[];
  /** True when an include source has not fetched a file yet (see `loadCiConfigAsync`); config is then null. */
  pending?: boolean;
}

function readStages(scope: EntryScope): string[] {
  const key = scope.hash.stages !== undefined ? "stages" : scope.hash.types !== undefined ? "types" : null;
  const declared = key ? readStringArray(scope, key, `${key} config should be an array of strings`) : null;
  const user = (declared ?? [...DEFAULT_STAGES]).filter((s) => s !== ".pre" && s !== ".post");
  return [".pre", ...user, ".post"];
}

function readDefaults(root: EntryScope): JobDefaults {
  const defaults: JobDefaults = { ...NO_DEFAULTS };
  // Deprecated root-level keywords act as defaults; `default:` wins over them.
  const scopes: EntryScope[] = [root];
  if (root.hash.default !== undefined) {
    if (isHash(root.hash.default)) {
      const scope: EntryScope = {
        ...root,
        location: "default",
        hash: root.hash.default,
        pos: at(root, "default"),
      };
      checkKeys(scope, DEFAULT_KEYS);
      scopes.push(scope);
    } else {
      root.problems.add(at(root, "default"), "default config should be a hash");
    }
  }
  for (const scope of scopes) {
    const h = scope.hash;
    if (h.before_script !== undefined) defaults.beforeScript = readScript(scope, "before_script");
    if (h.after_script !== undefined) defaults.afterScript = readScript(scope, "after_script");
    if (h.image !== undefined) defaults.image = readImage(scope, "image");
    if (h.services !== undefined) defaults.services = readServices(scope, "services");
    if (h.cache !== undefined) defaults.cache = readCache(scope, "cache");
    if (scope === root) continue;
    if (h.tags !== undefined)
      defaults.tags = readStringArray(scope, "tags", "default:tags config should be an array of strings");
    if (h.timeout !== undefined)
      defaults.timeoutS = readDuration(scope, "timeout", "default:timeout config should be a duration");
    if (h.interruptible !== undefined)
      defaults.interruptible = readBoolean(
        scope,
        "interruptible",
        "default:interruptible config should be a boolean value",
      );
    if (h.artifacts !== undefined) defaults.artifacts = readArtifacts(scope);
    if (h.retry !== undefined) defaults.retry = readRetry(scope);
    if (h.id_tokens !== undefined) checkIdTokens(scope);
  }
  return defaults;
}

function readWorkflow(root: EntryScope): CiRule[] | null {
  if (root.hash.workflow === undefined) return null;
  if (!isHash(root.hash.workflow)) {
    root.problems.add(at(root, "workflow"), "workflow config should be a hash");
    return null;
  }
  const scope: EntryScope = {
    ...root,
    location: "workflow",
    hash: root.hash.workflow,
    pos: at(root, "workflow"),
  };
  checkKeys(scope, ["rules", "name", "auto_cancel"]);
  return scope.hash.rules === undefined ? null : readRules(scope, "rules", true);
}

/**
 * Removes the keys among `keys` whose value is null: GitLab builds every config entry through a
 * factory that takes a null value as "not given" (`Entry::Unspecified`, lib/gitlab/config/entry/
 * factory.rb), so `before_script:` with nothing after it, or `stages: ~`, is no error.
 */
function dropUnspecified(hash: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) if (hash[key] === null) delete hash[key];
}

/** Loads, merges and validates a CI config. Never throws on bad input: problems are values. */
export function loadCiConfig(options: LoadCiConfigOptions): LoadCiConfigResult {
  const entryFile = options.entryFile ?? ".gitlab-ci.yml";
  const problems = new ProblemList();
  const top: SourcePos = { file: entryFile, line: 1, col: 1 };
  const loaded = loadWithIncludes(entryFile, options.readFile, problems, options);
  const hash = loaded.hash;
  // An include that fails stops here, as in GitLab: no follow-on errors from jobs that extend it.
  if (!hash)
    return {
      config: null,
      problems: byPosition(problems.items, entryFile),
      warnings: byPosition(problems.warnings, entryFile),
      pending: loaded.pending,
    };
  dropUnspecified(hash, ROOT_KEYS);
  if (isHash(hash.default)) dropUnspecified(hash.default, Object.keys(hash.default));
  if (isHash(hash.workflow)) dropUnspecified(hash.workflow, Object.keys(hash.workflow));
  const failedExtends = resolveExtends(hash, problems, top);
  const failedReferences = resolveReferences(hash, problems);

  const root: EntryScope = { location: "root", hash, pos: top, problems };
  const stages = readStages(root);
  const defaults = readDefaults(root);
  const variables: CiVariableDef[] =
    hash.variables !== undefined
      ? readVariables({ ...root, location: "root" }, "variables", ROOT_VARIABLE_KEYS)
      : [];
  const workflowRules = readWorkflow(root);

  const drafts: { name: string; draft: JobDraft; hash: Record<string, unknown> }[] = [];
  const noEffect = new Map<string, { pos: SourcePos; jobs: string[] }>();
  for (const [name, value] of Object.entries(hash)) {
    if (
      ROOT_KEYS.includes(name) ||
      name.startsWith(".") ||
      failedExtends.has(name) ||
      failedReferences.has(name)
    )
      continue;
    const pos = keyPos(hash, name, top);
    if (
      !isHash(value) ||
      (value.script === undefined && value.trigger === undefined && value.run === undefined)
    ) {
      // GitLab's Jobs entry words it with a space: "jobs rspec config should implement …".
      problems.add(pos, `jobs ${name} config should implement the script:, run:, or trigger: keyword`);
      continue;
    }
    if (value.run !== undefined && value.script === undefined && value.trigger === undefined) {
      problems.warn(
        pos,
        `jobs:${name} uses run: (CI/CD steps), which are not run locally; the job is left out`,
      );
      continue;
    }
    for (const key of Object.keys(NO_LOCAL_EFFECT)) {
      if (value[key] === undefined) continue;
      const users = noEffect.get(key) ?? { pos: keyPos(value, key, pos), jobs: [] };
      users.jobs.push(name);
      noEffect.set(key, users);
    }
    const draft = readJob({ location: `jobs:${name}`, hash: value, pos, problems }, defaults);
    drafts.push({ name, draft, hash: value });
  }
  for (const [key, { pos, jobs }] of noEffect)
    problems.warn(
      pos,
      `${key}: ${NO_LOCAL_EFFECT[key]} (${jobs.length === 1 ? "job" : "jobs"} ${jobs.join(", ")})`,
    );
  const hasVisible = Object.keys(hash).some((k) => !ROOT_KEYS.includes(k) && !k.startsWith("."));
  if (!hasVisible) problems.add(top, "jobs config should contain at least one visible job");

  const jobs: CiJob[] = expandParallel(drafts, problems);
  checkGraph({ jobs, stages, drafts, problems });
  const config: CiConfig = { stages, variables, workflowRules, jobs };
  const sorted = byPosition(problems.items, entryFile);
  return {
    config: sorted.length === 0 ? config : null,
    problems: sorted,
    warnings: byPosition(problems.warnings, entryFile),
  };
}

/** Problems in reading order: the entry file, other files as first met, then line and column. */
function byPosition(problems: CiProblem[], entryFile: string): CiProblem[] {
  const fileOrder = new Map<string, number>([[entryFile, 0]]);
  for (const p of problems) if (!fileOrder.has(p.file)) fileOrder.set(p.file, fileOrder.size);
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        fileOrder.get(a.p.file)! - fileOrder.get(b.p.file)! ||
        a.p.line - b.p.line ||
        a.p.col - b.p.col ||
        a.i - b.i,
    )
    .map(({ p }) => p);
}
