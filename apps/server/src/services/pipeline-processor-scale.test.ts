// Processing a DAG pipeline costs what changes (issue 12): a status change reads the created builds that
// need the job that moved, not every job still waiting on `needs`, so running a pipeline 4× the size
// reads ~4× the rows, where reading every waiting job at every change reads ~16×.
// GitLab's rule: a job with `needs:` starts when the jobs it names finish, whatever the stages
// (https://docs.gitlab.com/ee/ci/yaml/#needs; Ci::ProcessPipelineService processes dependents of changes).

import { type Build, newPipeline } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import { FIXTURE_SHA, localBuild, storeWithLocalProject } from "../test-support/local-pipeline-fixtures.js";
import { createBuildTransitions } from "./build-transitions.js";

let store: Store;
beforeEach(() => {
  store = storeWithLocalProject();
});
afterEach(() => store.close());

const AT = "2026-01-02T00:00:00.000Z";

/**
 * Counts the rows the builds repository hands back while `run` runs: one per build, status pair or id in
 * an answer (every query method is wrapped, so no read goes uncounted).
 */
function countRowsRead(run: () => void): number {
  const repo = store.builds as unknown as Record<string, unknown>;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  let rows = 0;
  for (const [name, value] of Object.entries(repo)) {
    if (typeof value !== "function") continue;
    const original = value as (...args: unknown[]) => unknown;
    originals.set(name, original);
    repo[name] = (...args: unknown[]) => {
      const answer = original.apply(repo, args);
      rows += Array.isArray(answer) ? answer.length : answer === undefined ? 0 : 1;
      return answer;
    };
  }
  try {
    run();
  } finally {
    for (const [name, original] of originals) repo[name] = original;
  }
  return rows;
}

/** Pipeline `id`: `n` jobs `build-k`, and `n` created jobs `test-k` in a later stage, each needing `build-k`. */
function insertDag(id: number, n: number): void {
  const first = store.builds.nextId();
  const job = (i: number, fields: Partial<Build>) =>
    localBuild({ id: first + i, pipelineId: id, name: `build-${i}`, ...fields });
  store.transaction(() => {
    store.pipelines.insert(newPipeline({ id, projectId: 1, sha: FIXTURE_SHA, ref: "main", createdAt: AT }));
    for (let k = 0; k < n; k++) store.builds.insert(job(k, {}));
    for (let k = 0; k < n; k++)
      store.builds.insert(
        job(n + k, { name: `test-${k}`, stage: "test", stageIdx: 1, needs: [`build-${k}`] }),
      );
  });
}

/** Creates the DAG, processes it, then runs every job to success as runners would; the rows read. */
function runDag(pipelineId: number, n: number): number {
  const transitions = createBuildTransitions(store, new ServerEvents());
  insertDag(pipelineId, n);
  let rows = countRowsRead(() => store.transaction(() => transitions.processPipeline(pipelineId, AT)));
  for (;;) {
    // The test's own listing is not counted: only what the status changes read.
    const pending = store.builds.listByPipeline(pipelineId).filter((b) => b.status === "pending");
    if (pending.length === 0) return rows;
    for (const b of pending)
      rows += countRowsRead(() =>
        store.transaction(() => {
          const running = transitions.fire(store.builds.get(b.id)!, { type: "run", at: AT, runnerId: 1 });
          transitions.fire(running, { type: "success", at: AT });
        }),
      );
  }
}

describe("processing a DAG pipeline", () => {
  it("reads rows in proportion to its jobs, not to jobs × jobs still waiting", () => {
    const small = runDag(1, 50);
    const large = runDag(2, 200);
    for (const p of [1, 2])
      expect(store.builds.listByPipeline(p).every((b) => b.status === "success")).toBe(true);
    expect(store.pipelines.get(2)?.status).toBe("success");
    // 4× the jobs: linear reads ~4×, quadratic ones ~16× (allowing a constant factor, not timing).
    expect(large / small).toBeLessThan(6);
  });
});
