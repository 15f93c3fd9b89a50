import { newUser } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../store/create-store.js";
import { createTestStore } from "../test-support/test-store.js";
import { ensureLocalRunner, registerLocalProject } from "./local-project.js";

let store: Store;
let n = 0;
beforeEach(() => {
  store = createTestStore();
  store.transaction(() =>
    store.users.insert(
      newUser({
        id: 1,
        username: "root",
        name: "Administrator",
        isAdmin: true,
        createdAt: "2026-01-01T00:00:00.000Z",
      }),
    ),
  );
});
afterEach(() => store.close());

const deps = () => ({ store, now: () => "2026-01-01T00:00:00.000Z", generateToken: () => `tok${++n}` });
const input = (sourceDir: string) => ({
  pathWithNamespace: "local/demo",
  name: "demo",
  sourceDir,
  defaultBranch: "main",
  ownerId: 1,
});

describe("local projects", () => {
  it("creates a private project for a work tree once, and finds it again by path", () => {
    const first = registerLocalProject(deps(), input("/src/demo"));
    expect(first).toMatchObject({ id: 1, pathWithNamespace: "local/demo", visibility: "private" });
    expect(first.members).toEqual([{ userId: 1, accessLevel: 40 }]);
    const again = registerLocalProject(deps(), input("/moved/demo"));
    expect(again.id).toBe(first.id);
    expect(store.projectSources.get(first.id)).toBe("/moved/demo");
  });

  it("protects the default branch as GitLab protects a new project's, and a new default branch too", () => {
    registerLocalProject(deps(), input("/src/demo"));
    expect(store.protectedBranches.list(1).map((r) => [r.name, r.pushAccessLevel])).toEqual([["main", 40]]);
    registerLocalProject(deps(), { ...input("/src/demo"), defaultBranch: "trunk" });
    expect(store.protectedBranches.list(1).map((r) => r.name)).toEqual(["main", "trunk"]);
  });

  it("keeps one local runner and adds the tags jobs ask for", () => {
    const a = ensureLocalRunner(deps());
    const b = ensureLocalRunner(deps(), ["docker"]);
    expect(b.id).toBe(a.id);
    expect(b.tagList).toEqual(["docker"]);
    expect(store.runners.getByToken(a.token)).toMatchObject({
      isShared: true,
      runUntagged: true,
      tagList: ["docker"],
    });
  });
});
