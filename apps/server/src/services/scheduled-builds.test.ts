// Delayed jobs: `scheduled` during the countdown, then pending once `scheduled_at` has passed (GitLab's
// Ci::BuildScheduleWorker). Driven by a fake clock and fake timers: nothing sleeps.
// https://docs.gitlab.com/ci/jobs/job_control/#run-a-job-after-a-delay

import { newBuild, newPipeline } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import { createTestStore } from "../test-support/test-store.js";
import { createBuildTransitions } from "./build-transitions.js";
import { watchScheduledBuilds } from "./scheduled-builds.js";

const T = Date.parse("2026-01-01T00:00:00.000Z");
let nowMs = T;
const now = () => new Date(nowMs).toISOString();
let timers: { fn: () => void; dueMs: number }[] = [];
const fakeTimers = {
  setTimeout: (fn: () => void, ms: number) => {
    const timer = { fn, dueMs: nowMs + ms };
    timers.push(timer);
    return timer;
  },
  clearTimeout: (h: unknown) => {
    timers = timers.filter((t) => t !== h);
  },
};
/** Moves the clock forward, firing the timers that come due. */
function advance(seconds: number) {
  nowMs += seconds * 1000;
  for (const t of timers.filter((x) => x.dueMs <= nowMs)) {
    timers = timers.filter((x) => x !== t);
    t.fn();
  }
}

let store: Store;
beforeEach(() => {
  nowMs = T;
  timers = [];
  store = createTestStore();
  const at = now();
  store.transaction(() => {
    store.projects.insert({
      id: 1,
      pathWithNamespace: "a/b",
      name: "b",
      description: null,
      visibility: "private",
      publicBuilds: true,
      buildsEnabled: true,
      defaultBranch: "main",
      runnersToken: "rt",
      members: [],
      createdAt: at,
    });
    store.pipelines.insert(
      newPipeline({ id: 1, projectId: 1, sha: "a".repeat(40), ref: "main", createdAt: at }),
    );
  });
});
afterEach(() => store.close());

describe("scheduled builds", () => {
  it("keeps a delayed job scheduled during its countdown, then enqueues it", () => {
    const events = new ServerEvents();
    const transitions = createBuildTransitions(store, events);
    const watch = watchScheduledBuilds({
      store,
      events,
      transitions,
      now,
      timers: fakeTimers,
      log: () => {},
    });
    const created = newBuild({
      id: 1,
      projectId: 1,
      pipelineId: 1,
      name: "deploy",
      ref: "main",
      sha: "a".repeat(40),
      token: "t1",
      createdAt: now(),
      when: "delayed",
      startInS: 60,
    });
    store.transaction(() => {
      store.builds.insert(created);
      transitions.processPipeline(1, now());
      transitions.updatePipelineStatus(1, now());
    });
    expect(store.builds.get(1)).toMatchObject({
      status: "scheduled",
      scheduledAt: "2026-01-01T00:01:00.000Z",
    });
    expect(store.pipelines.get(1)?.status).toBe("scheduled");
    advance(59);
    expect(store.builds.get(1)?.status).toBe("scheduled");
    advance(1);
    expect(store.builds.get(1)).toMatchObject({
      status: "pending",
      scheduledAt: null,
      queuedAt: "2026-01-01T00:01:00.000Z",
    });
    expect(timers).toEqual([]);
    watch.close();
  });

  it("enqueues a countdown that ended while the server was down on its first sweep", () => {
    const events = new ServerEvents();
    const transitions = createBuildTransitions(store, events);
    store.transaction(() =>
      store.builds.insert(
        newBuild({
          id: 1,
          projectId: 1,
          pipelineId: 1,
          name: "deploy",
          ref: "main",
          sha: "a".repeat(40),
          token: "t1",
          createdAt: now(),
          when: "delayed",
          status: "scheduled",
          scheduledAt: "2025-12-31T23:59:00.000Z",
        }),
      ),
    );
    const watch = watchScheduledBuilds({
      store,
      events,
      transitions,
      now,
      timers: fakeTimers,
      log: () => {},
    });
    expect(store.builds.get(1)?.status).toBe("pending");
    watch.close();
  });
});
