import { ACCESS_LEVELS, newUser, type Project, type User } from "@buildsim/core";
import { describe, expect, it } from "vitest";
import { canDestroyPipeline, canReadBuild, canReadProject, canUpdateBuild } from "./abilities.js";

const user = (id: number, isAdmin = false): User =>
  newUser({ id, username: `u${id}`, isAdmin, createdAt: "2026-01-01T00:00:00.000Z" });
const project = (over: Partial<Project>): Project => ({
  id: 1,
  pathWithNamespace: "g/p",
  name: "p",
  description: null,
  visibility: "private",
  publicBuilds: false,
  buildsEnabled: true,
  defaultBranch: "master",
  runnersToken: "r",
  members: [
    { userId: 2, accessLevel: ACCESS_LEVELS.guest },
    { userId: 3, accessLevel: ACCESS_LEVELS.reporter },
    { userId: 4, accessLevel: ACCESS_LEVELS.developer },
  ],
  createdAt: "2026-01-01T00:00:00.000Z",
  ...over,
});

describe("abilities", () => {
  it("lets only Owners and admins delete pipelines, and nobody with the builds feature disabled", () => {
    // ProjectPolicy (17.0): `destroy_pipeline` is in the `owner_access` block; `builds_disabled` prevents
    // create/read/update/admin/destroy of pipelines.
    const p = project({
      members: [
        ...project({}).members,
        { userId: 5, accessLevel: ACCESS_LEVELS.master },
        { userId: 6, accessLevel: ACCESS_LEVELS.owner },
      ],
    });
    expect([2, 3, 4, 5, 6, 9].map((id) => canDestroyPipeline(user(id), p))).toEqual([
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
    expect(canDestroyPipeline(user(1, true), p)).toBe(true);
    expect(canDestroyPipeline(user(6), { ...p, buildsEnabled: false })).toBe(false);
    expect(canDestroyPipeline(user(1, true), { ...p, buildsEnabled: false })).toBe(false);
  });

  it("lets any signed-in user see an internal project, and read its builds only with public builds", () => {
    const outsider = user(9);
    expect(canReadProject(outsider, project({ visibility: "internal" }))).toBe(true);
    expect(canReadBuild(outsider, project({ visibility: "internal" }))).toBe(false);
    expect(canReadBuild(outsider, project({ visibility: "internal", publicBuilds: true }))).toBe(true);
    expect(canUpdateBuild(outsider, project({ visibility: "internal", publicBuilds: true }))).toBe(false);
  });

  it("removes every build ability, admins' too, when the builds feature is disabled", () => {
    const p = project({ buildsEnabled: false, publicBuilds: true });
    for (const u of [user(1, true), user(3), user(4)]) {
      expect(canReadProject(u, p)).toBe(true);
      expect(canReadBuild(u, p)).toBe(false);
      expect(canUpdateBuild(u, p)).toBe(false);
    }
  });

  it("grants read to reporters and update to developers", () => {
    const p = project({});
    expect([2, 3, 4].map((id) => canReadBuild(user(id), p))).toEqual([false, true, true]);
    expect([2, 3, 4].map((id) => canUpdateBuild(user(id), p))).toEqual([false, false, true]);
  });

  it("hides a private project from non-members but not from admins", () => {
    expect(canReadProject(user(9), project({}))).toBe(false);
    expect(canReadProject(user(1, true), project({}))).toBe(true);
  });
});
