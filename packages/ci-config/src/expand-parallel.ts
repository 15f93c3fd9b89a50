// `parallel:` expansion with GitLab's instance names: `rspec 1/3` for a number, `build: [x, y]` for a matrix.
// `needs:`/`dependencies:` naming a parallel job are rewritten to all of its instances, like GitLab's Normalizer.

import type { CiJob, CiNeed, CiVariableDef } from "./ci-config-types.js";
import type { JobDraft } from "./read-job.js";

/** GitLab's name for a matrix instance: the job name, then the values in order. */
export function matrixJobName(baseName: string, variables: readonly CiVariableDef[]): string {
  return `${baseName}: [${variables.map((v) => v.value).join(", ")}]`;
}

/** Expands every draft into its instances, in file order. */
export function expandParallel(drafts: { name: string; draft: JobDraft }[]): CiJob[] {
  const instances = new Map<string, string[]>();
  const jobs: CiJob[] = [];
  for (const { name, draft } of drafts) {
    const { parallelSpec, ...rest } = draft;
    const make = (jobName: string, parallel: CiJob["parallel"]): CiJob => ({
      ...rest,
      name: jobName,
      baseName: name,
      parallel,
    });
    if (!parallelSpec) {
      jobs.push(make(name, null));
      continue;
    }
    const names: string[] = [];
    if (parallelSpec.kind === "number") {
      for (let index = 1; index <= parallelSpec.total; index++) {
        const jobName = `${name} ${index}/${parallelSpec.total}`;
        names.push(jobName);
        jobs.push(make(jobName, { index, total: parallelSpec.total, variables: [] }));
      }
    } else {
      const total = parallelSpec.instances.length;
      parallelSpec.instances.forEach((variables, i) => {
        const jobName = matrixJobName(name, variables);
        names.push(jobName);
        jobs.push(make(jobName, { index: i + 1, total, variables }));
      });
    }
    instances.set(name, names);
  }
  const expandNames = (list: string[]): string[] => list.flatMap((n) => instances.get(n) ?? [n]);
  const expandNeeds = (list: CiNeed[]): CiNeed[] =>
    list.flatMap((need) => {
      // `needs:parallel:matrix` names exactly the instances it lists.
      const targets = need.matrix
        ? need.matrix.map((combo) => matrixJobName(need.job, combo))
        : (instances.get(need.job) ?? [need.job]);
      return targets.map((job) => ({ ...need, job, matrix: null }));
    });
  for (const job of jobs) {
    if (job.needs) job.needs = expandNeeds(job.needs);
    if (job.rules) job.rules = job.rules.map((r) => (r.needs ? { ...r, needs: expandNeeds(r.needs) } : r));
    if (job.dependencies) job.dependencies = expandNames(job.dependencies);
  }
  return jobs;
}
