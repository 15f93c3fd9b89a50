// The builds repo's queue queries read what claims, the watchdog and a runner's resume need, and no more.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSeedText } from "../fixtures/load-seed.js";
import { createTestStore } from "../test-support/test-store.js";
import type { Store } from "./create-store.js";

const SEED = `
users:
  - { id: 1, username: root, admin: true }
projects:
  - { id: 1, path: acme/app }
  - { id: 2, path: acme/lib }
commits:
  - { project: 1, sha: "${"1".repeat(40)}", message: "one" }
  - { project: 2, sha: "${"2".repeat(40)}", message: "two" }
runners:
  - { id: 1, token: r1, projects: [1] }
  - { id: 2, token: r2, projects: [1, 2] }
pipelines:
  - { id: 1, project: 1, sha: "${"1".repeat(40)}", ref: main }
  - { id: 2, project: 2, sha: "${"2".repeat(40)}", ref: main }
builds:
  - { id: 1, pipeline: 1, name: a, status: success }
  - { id: 2, pipeline: 1, name: b, status: pending, tags: [docker] }
  - { id: 3, pipeline: 2, name: c, status: pending }
  - { id: 4, pipeline: 1, name: d, status: running, runner: 2, started_at: "2026-01-01T00:00:00.000Z", timeout_s: 60, trace: "hi" }
  - { id: 5, pipeline: 2, name: e, status: running, runner: 1, started_at: "2026-01-02T00:00:00.000Z" }
`;

let store: Store;
beforeEach(() => {
  store = createTestStore();
  loadSeedText(store, SEED, "queue-seed", "2026-01-01T00:00:00.000Z");
});
afterEach(() => store.close());

describe("the builds repository's queue queries", () => {
  it("walks pending builds oldest first and stops at the first one the caller accepts", () => {
    const seen: Array<{ projectId: number; tagList: string[] }> = [];
    const id = store.builds.firstPending((candidate) => {
      seen.push(candidate);
      return candidate.tagList.length === 0;
    });
    expect(id).toBe(3);
    expect(seen).toEqual([
      { projectId: 1, tagList: ["docker"] },
      { projectId: 2, tagList: [] },
    ]);
    expect(store.builds.firstPending(() => false)).toBeUndefined();
  });

  it("lists every running build with its runner, start and timeout", () => {
    expect(store.builds.listRunning().sort((a, b) => a.id - b.id)).toEqual([
      { id: 4, runnerId: 2, startedAt: "2026-01-01T00:00:00.000Z", timeoutS: 60 },
      { id: 5, runnerId: 1, startedAt: "2026-01-02T00:00:00.000Z", timeoutS: 3600 },
    ]);
  });

  it("names the builds running on one runner with the trace length it holds", () => {
    expect(store.builds.runningOn(2)).toEqual([{ buildId: 4, traceBytes: 2 }]);
    expect(store.builds.runningOn(1)).toEqual([{ buildId: 5, traceBytes: 0 }]);
  });

  it("knows a seeded store is not empty and a fresh one is", () => {
    expect(store.isEmpty()).toBe(false);
    const fresh = createTestStore();
    try {
      expect(fresh.isEmpty()).toBe(true);
    } finally {
      fresh.close();
    }
  });

  it("deletes a runner and forgets a project's work tree", () => {
    store.transaction(() => {
      store.runners.delete(1);
      store.projectSources.set(1, "/tmp/app");
    });
    expect(store.runners.get(1)).toBeUndefined();
    expect(store.projectSources.get(1)).toBe("/tmp/app");
    store.transaction(() => store.projectSources.delete(1));
    expect(store.projectSources.get(1)).toBeUndefined();
    expect(store.projects.nextId()).toBe(3);
  });
});
