// `parallel:` expansion with GitLab's instance names: `rspec 1/3` for a number, `build: [x, y]` for a matrix.
// `needs:`/`dependencies:` naming a parallel job are rewritten to all of its instances, like GitLab's Normalizer.

import type { CiJob, CiNeed, CiVariableDef } from "./ci-config-types.js";
import type { JobDraft } from "./read-job.js";
import type { ProblemList } from "./source-pos.js";

// `$[[ matrix.IDENTIFIER ]]` (GitLab 18.6): the value of the job's own matrix variable, for 1:1 needs.
// https://docs.gitlab.com/ci/yaml/matrix_expressions/
const MATRIX_EXPRESSION = /\$\[\[\s*matrix\.([A-Za-z_][A-Za-z0-9_]*)\s*\]\]/g;

/** GitLab's name for a matrix instance: the job name, then the values in order. */
export function matrixJobName(baseName: string, variables: readonly CiVariableDef[]): string {
  return `${baseName}: [${variables.map((v) => v.value).join(", ")}]`;
}

/** Expands every draft into its instances, in file order; bad matrix expressions go to `problems`. */
export function expandParallel(drafts: { name: string; draft: JobDraft }[], problems?: ProblemList): CiJob[] {
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
  /**
   * Replaces matrix expressions in a needed combination with `job`'s own matrix values; null (after
   * reporting) when one names an identifier the job's matrix lacks, so no follow-on error is reported.
   */
  const resolveCombo = (job: CiJob, combo: CiVariableDef[]): CiVariableDef[] | null => {
    let failed = false;
    const resolved = combo.map((v) => ({
      ...v,
      value: v.value.replace(MATRIX_EXPRESSION, (whole, id: string) => {
        const own = job.parallel?.variables.find((m) => m.key === id);
        if (own) return own.value;
        failed = true;
        problems?.add(
          job.pos,
          `jobs:${job.baseName}:needs:need:parallel:matrix ${whole} refers to '${id}', which the job's parallel:matrix does not define`,
        );
        return whole;
      }),
    }));
    return failed ? null : resolved;
  };
  const expandNeeds = (list: CiNeed[], job: CiJob): CiNeed[] =>
    list.flatMap((need) => {
      // `needs:parallel:matrix` names exactly the instances it lists.
      const targets = need.matrix
        ? need.matrix.flatMap((combo) => {
            const resolved = resolveCombo(job, combo);
            return resolved ? [matrixJobName(need.job, resolved)] : [];
          })
        : (instances.get(need.job) ?? [need.job]);
      return targets.map((target) => ({ ...need, job: target, matrix: null }));
    });
  const reported = new Set<string>();
  for (const job of jobs) {
    // Report a bad expression once per job in the file, not once per instance.
    const before = problems?.items.length ?? 0;
    if (job.needs) job.needs = expandNeeds(job.needs, job);
    if (job.rules)
      job.rules = job.rules.map((r) => (r.needs ? { ...r, needs: expandNeeds(r.needs, job) } : r));
    if (job.dependencies) job.dependencies = expandNames(job.dependencies);
    if (problems && problems.items.length > before) {
      if (reported.has(job.baseName)) problems.items.splice(before);
      reported.add(job.baseName);
    }
  }
  return jobs;
}
