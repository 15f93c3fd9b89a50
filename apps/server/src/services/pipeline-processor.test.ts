// The incremental processor against core's whole-pipeline rule: random pipelines (stages, `needs`,
// `when:`, `allow_failure`, manual and delayed jobs) processed by the server, which reads only what each
// decision needs, must land every build where core's `processPipeline`, run over all the builds until
// nothing more is decided, lands it — after creation and after every job that runs, fails or is played.
// GitLab's rules: https://docs.gitlab.com/ee/ci/yaml/#when, #needs, #allow_failure (Ci::ProcessPipelineService).

import {
  applyBuildEvent,
  type Build,
  type BuildEvent,
  type BuildWhen,
  computePipelineStatus,
  newBuild,
  newPipeline,
  newUser,
  type Pipeline,
  processPipeline,
  reopenAfterRetry,
  retryBuild,
} from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import { FIXTURE_SHA, localBuild, storeWithLocalProject } from "../test-support/local-pipeline-fixtures.js";
import { seeded } from "../test-support/seeded-random.js";
import { createBuildActions } from "./build-actions.js";
import { createBuildTransitions } from "./build-transitions.js";

let store: Store;
beforeEach(() => {
  store = storeWithLocalProject();
});
afterEach(() => store.close());

const AT = "2026-01-02T00:00:00.000Z";
const WHENS: BuildWhen[] = [
  "on_success",
  "on_success",
  "on_success",
  "on_failure",
  "always",
  "manual",
  "delayed",
];

/** Core's rule over the whole pipeline, repeated until it decides nothing more. */
function reference(builds: Build[]): Build[] {
  const working = builds.map((b) => ({ ...b }));
  for (;;) {
    const decisions = processPipeline(working, AT);
    if (decisions.length === 0) return working;
    for (const d of decisions) {
      const i = working.findIndex((b) => b.id === d.buildId);
      const t = applyBuildEvent(working[i]!, d.event);
      if (t.changed) working[i] = t.build;
    }
  }
}

/** A random pipeline of `size` created builds in up to four stages, some with `needs`. */
function randomBuilds(random: ReturnType<typeof seeded>, pipelineId: number, firstId: number, size: number) {
  const builds: Build[] = [];
  for (let i = 0; i < size; i++) {
    const stageIdx = random.int(4);
    const earlier = builds.filter((b) => b.stageIdx < stageIdx).map((b) => b.name);
    const roll = random.next();
    // `needs:` names jobs of earlier stages (or none at all: `needs: []`).
    const needs = roll < 0.25 ? earlier.filter(() => random.next() < 0.4) : null;
    const when = random.pick(WHENS);
    builds.push(
      newBuild({
        id: firstId + i,
        projectId: 1,
        pipelineId,
        name: `job-${i}`,
        ref: "main",
        sha: FIXTURE_SHA,
        token: `tok-${pipelineId}-${i}`,
        createdAt: AT,
        stage: `s${stageIdx}`,
        stageIdx,
        when,
        startInS: when === "delayed" ? 60 : null,
        allowFailure: random.next() < 0.2,
        needs,
      }),
    );
  }
  return builds;
}

/** Pipeline `id` of project 1, `created`, as a push made it. */
const createdPipeline = (id: number): Pipeline =>
  newPipeline({ id, projectId: 1, sha: FIXTURE_SHA, ref: "main", createdAt: AT });

const ROOT = newUser({ id: 1, username: "root", createdAt: AT });

/**
 * `Ci::RetryJobService` on the model: a new pending build of `source`'s job, `source` retried, and the
 * skipped jobs after it re-opened (`created`), as core's retryBuild and reopenAfterRetry say.
 */
function retriedModel(model: Build[], source: Build, fresh: { id: number; token: string }): Build[] {
  const next = [
    ...model.map((b) => (b.id === source.id ? { ...b, retried: true } : b)),
    retryBuild(source, { ...fresh, userId: ROOT.id, at: AT }),
  ];
  const skipped = next.filter((b) => b.status === "skipped");
  for (const { buildId, event } of reopenAfterRetry(skipped, source, AT)) {
    const i = next.findIndex((b) => b.id === buildId);
    next[i] = applyBuildEvent(next[i]!, event).build;
  }
  return next;
}

/**
 * The limit for the two tests that drive thousands of status changes: on PostgreSQL each one is several
 * round trips, and on a loaded two-core CI machine they took 45-160 s (30 s elsewhere only stops a hang).
 */
const HEAVY_MS = 240_000;

const statuses = (builds: Build[]) => Object.fromEntries(builds.map((b) => [b.id, b.status]));

describe("incremental pipeline processing", () => {
  it(
    "lands every build where core's whole-pipeline processing does, over random pipelines and job outcomes",
    () => {
      const random = seeded(20261129);
      const transitions = createBuildTransitions(store, new ServerEvents(), () => "retry-token");
      let retries = 0;
      const actions = createBuildActions({
        store,
        transitions,
        now: () => AT,
        generateToken: () => `retry-${retries}`,
      });
      let compared = 0;
      const decided = new Set<string>();
      for (let p = 1; p <= 60; p++) {
        const initial = randomBuilds(random, p, store.builds.nextId(), 3 + random.int(12));
        store.transaction(() => {
          store.pipelines.insert(createdPipeline(p));
          for (const b of initial) store.builds.insert(b);
          transitions.processPipeline(p, AT);
        });
        let model = reference(initial);
        const check = () => {
          const stored = store.builds.listByPipeline(p);
          expect(statuses(stored)).toEqual(statuses(model));
          expect(store.pipelines.get(p)?.status).toBe(computePipelineStatus(model));
          for (const b of stored) decided.add(b.status);
          compared++;
        };
        check();
        // Jobs run and succeed or fail, manual jobs are played, failed ones are sometimes retried (which
        // re-opens the skipped jobs after them), until nothing is left to move.
        for (let step = 0; step < 60; step++) {
          const failed = model.filter((b) => b.status === "failed" && !b.retried);
          if (failed.length > 0 && random.next() < 0.2) {
            const target = random.pick(failed);
            const fresh = { id: store.builds.nextId(), token: `retry-${++retries}` };
            expect(actions.retry(target.id, ROOT).ok).toBe(true);
            model = reference(retriedModel(model, target, fresh));
            check();
            continue;
          }
          const movable = model.filter((b) => b.status === "pending" || b.status === "manual");
          if (movable.length === 0) break;
          const target = random.pick(movable);
          const events: BuildEvent[] =
            target.status === "manual"
              ? [{ type: "play", at: AT, userId: null }]
              : [
                  { type: "run", at: AT, runnerId: 1 },
                  random.next() < 0.7
                    ? { type: "success", at: AT }
                    : { type: "drop", at: AT, reason: "script_failure" },
                ];
          store.transaction(() => {
            for (const event of events) transitions.fire(store.builds.get(target.id)!, event);
          });
          let next = model;
          for (const event of events) {
            next = next.map((b) => (b.id === target.id ? applyBuildEvent(b, event).build : b));
          }
          model = reference(next);
          check();
        }
      }
      expect(compared).toBeGreaterThan(250);
      expect(retries).toBeGreaterThan(20);
      // The pipelines reached every outcome processing can give a created build.
      for (const s of ["pending", "manual", "scheduled", "skipped", "success", "failed"])
        expect(decided).toContain(s);
    },
    HEAVY_MS,
  );

  it(
    "decides a later stage of 2,000 created jobs once the earlier stage completes, without reading it before",
    () => {
      const transitions = createBuildTransitions(store, new ServerEvents());
      const first = newBuild({
        id: 1,
        projectId: 1,
        pipelineId: 1,
        name: "build",
        ref: "main",
        sha: FIXTURE_SHA,
        token: "t-build",
        createdAt: AT,
      });
      const later = Array.from({ length: 2000 }, (_, i) =>
        newBuild({ ...first, id: 2 + i, name: `test ${i}`, token: `t-${i}`, stage: "test", stageIdx: 1 }),
      );
      store.transaction(() => {
        store.pipelines.insert(createdPipeline(1));
        store.builds.insert(first);
        for (const b of later) store.builds.insert(b);
        transitions.processPipeline(1, AT);
      });
      // Count the build rows processing reads: none of the waiting stage while the first one runs.
      let rowsRead = 0;
      const get = store.builds.get.bind(store.builds);
      store.builds.get = (id) => {
        rowsRead++;
        return get(id);
      };
      const list = store.builds.listByPipeline.bind(store.builds);
      store.builds.listByPipeline = (id) => {
        const rows = list(id);
        rowsRead += rows.length;
        return rows;
      };
      store.transaction(() => transitions.fire(get(1)!, { type: "run", at: AT, runnerId: 1 }));
      expect(rowsRead).toBe(0);
      store.transaction(() => transitions.fire(get(1)!, { type: "success", at: AT }));
      // Each of the 2,000 is read once, to be decided and enqueued.
      expect(rowsRead).toBe(2000);
      expect(list(1).filter((b) => b.status === "pending")).toHaveLength(2000);
    },
    HEAVY_MS,
  );

  it("decides a re-opened job whose needs did not change at once, as GitLab processes after a retry", () => {
    // A retry re-opens the skipped jobs of later stages (AfterRequeueJobService); every status change then
    // processes the pipeline (CommitStatus `after_transition` → PipelineProcessWorker). `report` needs only
    // `lint`, which failed and stays failed: nothing it needs moves, yet it must be skipped again.
    const transitions = createBuildTransitions(store, new ServerEvents());
    const actions = createBuildActions({ store, transitions, now: () => AT, generateToken: () => "t-retry" });
    const job = (id: number, name: string, fields: Partial<Build> = {}) =>
      localBuild({ id, pipelineId: 1, name, ...fields });
    store.transaction(() => {
      store.pipelines.insert(createdPipeline(1));
      store.builds.insert(job(1, "compile"));
      store.builds.insert(job(2, "lint"));
      store.builds.insert(job(3, "report", { stage: "report", stageIdx: 1, needs: ["lint"] }));
      transitions.processPipeline(1, AT);
    });
    for (const id of [1, 2])
      store.transaction(() => {
        const running = transitions.fire(store.builds.get(id)!, { type: "run", at: AT, runnerId: 1 });
        transitions.fire(running, { type: "drop", at: AT, reason: "script_failure" });
      });
    expect(store.builds.get(3)?.status).toBe("skipped");
    const retried = actions.retry(1, ROOT);
    expect(retried.ok).toBe(true);
    expect(store.builds.get(3)?.status).toBe("skipped");
    // The retried `compile` passes: the pipeline ends failed (by `lint`), with nothing left created.
    const fresh = store.builds.listByPipeline(1).find((b) => b.name === "compile" && !b.retried)!;
    store.transaction(() => {
      const running = transitions.fire(fresh, { type: "run", at: AT, runnerId: 1 });
      transitions.fire(running, { type: "success", at: AT });
    });
    expect(store.builds.listByPipeline(1).filter((b) => b.status === "created")).toEqual([]);
    expect(store.pipelines.get(1)?.status).toBe("failed");
  });
});
