// GitLab's logical checks after the syntax is valid (YamlProcessor): stages exist, `needs:` and
// `dependencies:` name jobs in the same or earlier stages, no need is listed twice, and needs form no cycle.

import type { CiJob } from "./ci-config-types.js";
import type { JobDraft } from "./read-job.js";
import { keyPos, type ProblemList } from "./source-pos.js";

interface GraphInput {
  jobs: CiJob[];
  stages: string[];
  drafts: { name: string; draft: JobDraft; hash: Record<string, unknown> }[];
  problems: ProblemList;
}

/** Adds a problem for every logical error in the job graph. */
export function checkGraph({ jobs, stages, drafts, problems }: GraphInput): void {
  const hashes = new Map(drafts.map((d) => [d.name, d.hash]));
  const emitted = new Set<string>();
  const report = (job: CiJob, key: string, message: string): void => {
    if (emitted.has(message)) return;
    emitted.add(message);
    problems.add(keyPos(hashes.get(job.baseName), key, job.pos), message);
  };
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const stageIndex = (job: CiJob): number => stages.indexOf(job.stage);

  for (const { name, draft, hash } of drafts) {
    if (!stages.includes(draft.stage)) {
      const message = `${name} job: chosen stage ${draft.stage} does not exist; available stages are ${stages.join(", ")}`;
      problems.add(keyPos(hash, hash.stage !== undefined ? "stage" : "type", draft.pos), message);
    }
  }

  for (const job of jobs) {
    const check = (target: string, kind: "need" | "dependency", key: string, optional: boolean): void => {
      const other = byName.get(target);
      if (!other) {
        if (!optional) report(job, key, `${job.name} job: undefined ${kind}: ${target}`);
        return;
      }
      const otherIndex = stageIndex(other);
      if (otherIndex < 0 || otherIndex > stageIndex(job)) {
        report(job, key, `${job.name} job: ${kind} ${target} is not defined in current or prior stages`);
      }
    };
    for (const dependency of job.dependencies ?? []) check(dependency, "dependency", "dependencies", false);
    const needLists = [job.needs, ...(job.rules ?? []).map((r) => r.needs)];
    for (const needs of needLists) {
      if (!needs) continue;
      const key = needs === job.needs ? "needs" : "rules";
      for (const need of needs) check(need.job, "need", key, need.optional);
      const counts = new Map<string, number>();
      for (const need of needs) counts.set(need.job, (counts.get(need.job) ?? 0) + 1);
      const duplicated = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
      if (duplicated.length > 0) {
        report(job, key, `${job.name} has the following needs duplicated: ${duplicated.join(", ")}.`);
      }
    }
  }

  const cycle = findNeedsCycle(jobs);
  if (cycle) {
    const first = byName.get(cycle[0]!)!;
    const detail =
      cycle.length === 1
        ? `self-dependency: ${cycle[0]}`
        : `topological sort failed: [${cycle.map((n) => JSON.stringify(n)).join(", ")}]`;
    report(first, "needs", `The pipeline has circular dependencies: ${detail}`);
  }
}

/** The first strongly connected component of the needs graph that is a cycle (Tarjan), or null. */
function findNeedsCycle(jobs: CiJob[]): string[] | null {
  const edges = new Map(
    jobs.map((j) => [j.name, (j.needs ?? []).map((n) => n.job).filter((n) => n !== undefined)]),
  );
  for (const [name, targets] of edges) if (targets.includes(name)) return [name];
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  let found: string[] | null = null;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!edges.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let top: string;
      do {
        top = stack.pop()!;
        onStack.delete(top);
        component.push(top);
      } while (top !== node);
      if (component.length > 1 && !found) found = component.reverse();
    }
  };
  for (const name of edges.keys()) if (!index.has(name)) visit(name);
  return found;
}
