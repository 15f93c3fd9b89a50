// What a job on a protected or unprotected ref sees: `CI_COMMIT_REF_PROTECTED` and protected CI/CD variables
// follow the project's protected branch rules (https://docs.gitlab.com/17.0/ee/ci/variables/#protect-a-cicd-variable:
// "exported only to pipelines that run on protected branches or protected tags").

import { newBuild, type Runner } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSeedText } from "../fixtures/load-seed.js";
import { parseSeed } from "../fixtures/parse-seed.js";
import type { Store } from "../store/create-store.js";
import { createTestStore } from "../test-support/test-store.js";
import { jobVariables } from "./job-payload.js";

const at = "2026-01-01T00:00:00.000Z";
const seed = (protectedBranches: string) => `
users: [{ id: 1, username: root, admin: true }]
projects:
  - { id: 1, path: acme/app, default_branch: main${protectedBranches} }
`;

let store: Store;
beforeEach(() => {
  store = createTestStore();
});
afterEach(() => store.close());

const runner = { id: 1, description: "r", tagList: [] } as unknown as Runner;
const seen = (ref: string, tag = false) => {
  const build = newBuild({
    id: 1,
    projectId: 1,
    pipelineId: 1,
    name: "job",
    ref,
    tag,
    sha: "a",
    token: "t",
    createdAt: at,
  });
  const vars = jobVariables(build, runner, { store, serverUrl: "http://x" }, []);
  return {
    refProtected: vars.find((v) => v.key === "CI_COMMIT_REF_PROTECTED")?.value,
    secret: vars.find((v) => v.key === "SECRET")?.value,
  };
};
const addSecret = () =>
  store.projectVariables.insert({
    projectId: 1,
    key: "SECRET",
    value: "s3cr3t-value",
    variableType: "env_var",
    protected: true,
    masked: false,
    raw: false,
    environmentScope: "*",
    description: null,
  });

describe("protected refs in a job's variables", () => {
  it("protects the default branch when the seed lists no rules", () => {
    loadSeedText(store, seed(""), "seed", at);
    addSecret();
    expect(seen("main")).toEqual({ refProtected: "true", secret: "s3cr3t-value" });
    expect(seen("feature")).toEqual({ refProtected: "false", secret: undefined });
  });

  it("follows wildcard rules, and leaves the default branch unprotected when the rules omit it", () => {
    loadSeedText(store, seed(`, protected_branches: [{ name: "release/*" }]`), "seed", at);
    addSecret();
    expect(seen("release/1.0")).toEqual({ refProtected: "true", secret: "s3cr3t-value" });
    expect(seen("main")).toEqual({ refProtected: "false", secret: undefined });
  });

  it("never treats a tag as a protected branch, even one named like a rule", () => {
    loadSeedText(store, seed(""), "seed", at);
    expect(seen("main", true).refProtected).toBe("false");
  });
});

describe("seed protected_branches", () => {
  it("reports bad entries with their path", () => {
    const result = parseSeed(
      seed(`, protected_branches: [{ name: a, push_access_level: 20 }, { name: a }, { colour: red }]`),
    );
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems.map((p) => p.replace(/ \(\d+:\d+\)$/, ""));
    expect(problems).toEqual([
      "projects[0].protected_branches[0].push_access_level: must be one of 0, 30, 40, 60",
      "projects[0].protected_branches[1].name: duplicate protected branch a",
      "projects[0].protected_branches[2].colour: unknown key (expected one of name, push_access_level, merge_access_level, allow_force_push)",
      "projects[0].protected_branches[2].name: is required",
    ]);
  });
});
