// Test helpers: load YAML from memory and plan it for a push (or any other) pipeline context.

import type { CiConfig } from "../ci-config-types.js";
import { createMemoryReader, formatProblem } from "../lint-ci-config.js";
import { loadCiConfig } from "../load-ci-config.js";
import type { PipelineContext } from "../pipeline-context.js";
import { type PipelinePlan, type PlannedJob, planPipeline } from "../plan-pipeline.js";

/** Loads `.gitlab-ci.yml` (plus other files) and fails the test with every problem if it is invalid. */
export function configFrom(yaml: string, files: Record<string, string> = {}): CiConfig {
  const result = loadCiConfig({ readFile: createMemoryReader({ ".gitlab-ci.yml": yaml, ...files }) });
  if (!result.config) throw new Error(result.problems.map(formatProblem).join("\n"));
  return result.config;
}

/** A push to `main` of a commit, with no files existing and every path changed unless overridden. */
export function context(overrides: Partial<PipelineContext> = {}): PipelineContext {
  return {
    ref: "main",
    tag: false,
    source: "push",
    sha: "0123456789abcdef0123456789abcdef01234567",
    commitMessage: "Add feature\n\nLonger description",
    defaultBranch: "main",
    exists: () => false,
    changes: () => true,
    ...overrides,
  };
}

export function plan(yaml: string, overrides: Partial<PipelineContext> = {}): PipelinePlan {
  return planPipeline(configFrom(yaml), context(overrides));
}

/** The planned jobs, failing when no pipeline was created. */
export function jobsOf(yaml: string, overrides: Partial<PipelineContext> = {}): PlannedJob[] {
  const result = plan(yaml, overrides);
  if (!result.created) throw new Error(`no pipeline: ${result.reason}`);
  return result.jobs;
}

export const names = (jobs: PlannedJob[]): string[] => jobs.map((j) => j.name);

export function job(jobs: PlannedJob[], name: string): PlannedJob {
  const found = jobs.find((j) => j.name === name);
  if (!found) throw new Error(`no job ${name} in ${names(jobs).join(", ")}`);
  return found;
}

export function variable(planned: PlannedJob, key: string): string | undefined {
  return planned.variables.find((v) => v.key === key)?.value;
}
