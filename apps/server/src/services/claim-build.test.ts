import { newBuild, newPipeline, type Runner } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import { createTestStore } from "../test-support/test-store.js";
import { createBuildTransitions } from "./build-transitions.js";
import { createClaimBuild, runnerCanRun } from "./claim-build.js";

const T = "2026-01-01T00:00:00.000Z";
const at = (s: number) => new Date(Date.parse(T) + s * 1000).toISOString();
const runner: Runner = {
  id: 1,
  token: "r",
  description: "r",
  active: true,
  isShared: true,
  name: null,
  tagList: ["docker"],
  runUntagged: true,
  locked: false,
  version: null,
  revision: null,
  platform: null,
  architecture: null,
  contactedAt: null,
  projectIds: [],
};

let store: Store;
beforeEach(() => {
  store = createTestStore();
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
      createdAt: T,
    });
    store.pipelines.insert(
      newPipeline({ id: 1, projectId: 1, sha: "a".repeat(40), ref: "main", status: "pending", createdAt: T }),
    );
  });
});
afterEach(() => store.close());

function pending(
  id: number,
  extra: Parameters<typeof newBuild>[0] extends infer F ? Partial<F> : never = {},
) {
  store.transaction(() =>
    store.builds.insert(
      newBuild({
        id,
        projectId: 1,
        pipelineId: 1,
        name: `b${id}`,
        ref: "main",
        sha: "a".repeat(40),
        token: `t${id}`,
        createdAt: T,
        status: "pending",
        queuedAt: T,
        ...extra,
      }),
    ),
  );
}

describe("claiming builds", () => {
  it("hands out the oldest pending build and moves it to running on that runner", () => {
    pending(1);
    pending(2);
    const claim = createClaimBuild(store, createBuildTransitions(store, new ServerEvents()));
    expect(claim(runner, at(1))).toMatchObject({ id: 1, status: "running", runnerId: 1, startedAt: at(1) });
    expect(claim(runner, at(1))?.id).toBe(2);
    expect(claim(runner, at(1))).toBeNull();
  });

  it("follows GitLab's matching rule: the build's tags, run_untagged, a specific runner's projects", () => {
    expect(runnerCanRun(runner, { projectId: 1, tagList: ["docker"] })).toBe(true);
    expect(runnerCanRun(runner, { projectId: 1, tagList: ["docker", "gpu"] })).toBe(false);
    expect(runnerCanRun({ ...runner, runUntagged: false }, { projectId: 1, tagList: [] })).toBe(false);
    expect(runnerCanRun({ ...runner, isShared: false, projectIds: [2] }, { projectId: 1, tagList: [] })).toBe(
      false,
    );
    expect(runnerCanRun({ ...runner, active: false }, { projectId: 1, tagList: [] })).toBe(false);
  });
});
