// GitLab's protected-branch matching and access checks (lib/gitlab/user_access.rb, RefMatcher,
// ProtectedRefAccess#check_access; https://docs.gitlab.com/17.0/ee/user/project/protected_branches.html).

import { ACCESS_LEVELS, type Project, type ProtectedBranch, type User } from "@buildsim/core";
import { describe, expect, it } from "vitest";
import { canUpdateBranch, ruleMatches } from "./protected-branches.js";

const user = (id: number, isAdmin = false) => ({ id, isAdmin }) as User;
const project = {
  id: 1,
  members: [
    { userId: 2, accessLevel: ACCESS_LEVELS.developer },
    { userId: 3, accessLevel: ACCESS_LEVELS.master },
    { userId: 4, accessLevel: ACCESS_LEVELS.reporter },
  ],
} as unknown as Project;
const rule = (name: string, push: 0 | 30 | 40 | 60, merge: 0 | 30 | 40 | 60): ProtectedBranch => ({
  id: 1,
  projectId: 1,
  name,
  pushAccessLevel: push,
  mergeAccessLevel: merge,
  allowForcePush: false,
});

describe("ruleMatches", () => {
  it.each([
    ["main", "main", true],
    ["main", "main2", false],
    ["release/*", "release/1.0", true],
    ["release/*", "release/1/hotfix", true],
    ["release/*", "release", false],
    ["*-stable", "9-0-stable", true],
    ["v1.*", "v1x2", false],
  ])("rule %s covers %s: %s", (name, branch, expected) => {
    expect(ruleMatches(name, branch)).toBe(expected);
  });
});

describe("canUpdateBranch", () => {
  it("lets Developers and up update an unprotected branch, and not Reporters", () => {
    expect(canUpdateBranch(user(2), project, [], "feature")).toBe(true);
    expect(canUpdateBranch(user(4), project, [], "feature")).toBe(false);
    expect(canUpdateBranch(user(9, true), project, [], "feature")).toBe(true);
  });

  it("needs the push or the merge role of a covering rule", () => {
    const rules = [rule("main", 40, 30)];
    expect(canUpdateBranch(user(2), project, rules, "main")).toBe(true);
    expect(canUpdateBranch(user(2), project, [rule("main", 40, 40)], "main")).toBe(false);
    expect(canUpdateBranch(user(3), project, [rule("main", 40, 40)], "main")).toBe(true);
  });

  it("lets nobody in at level 0, only admins at level 60, and admins at any other level", () => {
    expect(canUpdateBranch(user(3), project, [rule("main", 0, 0)], "main")).toBe(false);
    expect(canUpdateBranch(user(9, true), project, [rule("main", 0, 0)], "main")).toBe(false);
    expect(canUpdateBranch(user(3), project, [rule("main", 60, 0)], "main")).toBe(false);
    expect(canUpdateBranch(user(9, true), project, [rule("main", 60, 0)], "main")).toBe(true);
    expect(canUpdateBranch(user(9, true), project, [rule("main", 40, 40)], "main")).toBe(true);
  });

  it("lets any one of several covering rules allow the update", () => {
    const rules = [rule("release/*", 40, 40), rule("release/1.*", 30, 30)];
    expect(canUpdateBranch(user(2), project, rules, "release/1.2")).toBe(true);
    expect(canUpdateBranch(user(2), project, rules, "release/2.0")).toBe(false);
  });
});
