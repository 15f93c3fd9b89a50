// The validated, normalized shape of a `.gitlab-ci.yml`: what `loadCiConfig` returns and `planPipeline` reads.

import type {
  BuildArtifactsOptions,
  BuildEnvironment,
  BuildTrigger,
  BuildWhen,
  JobCache,
  PullPolicy,
} from "@buildsim/core";
import type { CiExpression } from "./expression.js";
import type { SourcePos } from "./source-pos.js";

/** A `variables:` entry; scalars are already strings (Ruby's `to_s`). */
export interface CiVariableDef {
  key: string;
  value: string;
  /** `expand: false`: GitLab and the runner never expand references inside the value. */
  raw?: boolean;
  /** Root `{description, options}`: shown when a pipeline is run by hand; no effect on the value. */
  description?: string;
  options?: string[];
}

/** `exists:` / `changes:` globs, answered by the caller's repository callbacks. */
export interface CiFileCondition {
  paths: string[];
}

/** One entry of `rules:` (job) or `workflow:rules:`. */
export interface CiRule {
  if: CiExpression | null;
  changes: CiFileCondition | null;
  exists: CiFileCondition | null;
  when: BuildWhen | null;
  allowFailure: boolean | null;
  startInS: number | null;
  variables: CiVariableDef[];
  /** `rules:needs`: replaces the job's `needs:` when this rule matches. */
  needs: CiNeed[] | null;
  interruptible: boolean | null;
  pos: SourcePos;
}

/** `only:` or `except:` after normalization of the array form into `{refs}`. */
export interface CiPolicy {
  refs: string[] | null;
  variables: CiExpression[] | null;
  changes: CiFileCondition | null;
  /** `kubernetes: active`; there is no Kubernetes integration locally, so it is never satisfied. */
  kubernetes: boolean;
}

/** One `needs:` entry. */
export interface CiNeed {
  job: string;
  artifacts: boolean;
  optional: boolean;
  /** `needs:parallel:matrix`: only these matrix instances of `job` (variable combinations). */
  matrix: CiVariableDef[][] | null;
}

/**
 * `needs:project` or `needs:pipeline`: artifacts of a job in another pipeline (another local project's
 * latest successful pipeline for `ref`, or the pipeline whose id `pipeline` holds). Not a pipeline edge:
 * the job does not wait for it.
 */
export interface CiCrossNeed {
  project: string | null;
  /** The branch or tag of `project`; null for the project's default branch. */
  ref: string | null;
  /** A pipeline id, usually `$PARENT_PIPELINE_ID`; expanded when the pipeline is planned. */
  pipeline: string | null;
  job: string;
  artifacts: boolean;
}

/** `image:` or one `services:` entry, kept so the runner can report them. */
export interface CiImage {
  name: string;
  entrypoint?: string[];
  alias?: string;
  /** `pull_policy`: one policy or a list, in order. */
  pullPolicy?: PullPolicy[];
  /** `docker:user`. */
  user?: string;
  /** A service's `command:`. */
  command?: string[];
  /** A service's own `variables:`. */
  variables?: Array<{ key: string; value: string }>;
}

/** A trigger job's `trigger:`, validated (core's `BuildTrigger`); `project`/`branch` are expanded when planning. */
export type CiTrigger = BuildTrigger;

/** One job instance after `parallel:` expansion (`rspec 1/3`, `build: [x, y]`). */
export interface CiJob {
  name: string;
  /** The job's name in the file, before `parallel:` expansion. */
  baseName: string;
  stage: string;
  script: string[];
  beforeScript: string[];
  afterScript: string[];
  image: CiImage | null;
  services: CiImage[];
  /** `cache:` entries (none when absent or `cache: []`). */
  cache: JobCache[];
  tags: string[];
  when: Exclude<BuildWhen, "never">;
  startInS: number | null;
  /** Null when the file does not say: manual jobs then default to true. */
  allowFailure: boolean | null;
  allowFailureExitCodes: number[];
  retryMax: number;
  retryWhen: string[] | null;
  timeoutS: number | null;
  artifacts: BuildArtifactsOptions | null;
  needs: CiNeed[] | null;
  /** `needs:project` and `needs:pipeline` entries. */
  crossNeeds: CiCrossNeed[];
  dependencies: string[] | null;
  /** The job's own `variables:` (global ones are added when planning). */
  variables: CiVariableDef[];
  /** `inherit:variables`: whether (or which) global variables reach this job. */
  inheritVariables: boolean | string[];
  /** Matrix variables (or none) of this instance, and its 1-based index among `total`. */
  parallel: { index: number; total: number; variables: CiVariableDef[] } | null;
  rules: CiRule[] | null;
  only: CiPolicy | null;
  except: CiPolicy | null;
  coverageRegex: string | null;
  interruptible: boolean | null;
  /** `environment:` as written (variables not yet expanded). */
  environment: BuildEnvironment | null;
  resourceGroup: string | null;
  /** `trigger:`: a trigger job (bridge) with no script; null for a job a runner runs. */
  trigger: CiTrigger | null;
  pos: SourcePos;
}

/** A whole validated config. */
export interface CiConfig {
  stages: string[];
  variables: CiVariableDef[];
  workflowRules: CiRule[] | null;
  /** Visible job instances in file order (hidden `.jobs` are gone, `parallel:` is expanded). */
  jobs: CiJob[];
}
