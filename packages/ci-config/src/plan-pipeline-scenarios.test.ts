import { describe, expect, it } from "vitest";
import { jobsOf, plan } from "./test-support/plan-yaml.js";

// A realistic project config: branch pipelines plus merge request pipelines, with no duplicate pipelines.
const CONFIG = `
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS
      when: never
    - if: $CI_COMMIT_BRANCH
    - if: $CI_COMMIT_TAG

stages: [build, test, release, deploy]

variables:
  NODE_VERSION: "20"

default:
  image: node:$NODE_VERSION
  before_script: [npm ci]
  retry:
    max: 2
    when: [runner_system_failure, stuck_or_timeout_failure]

.only-default-branch:
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH

compile:
  stage: build
  script: npm run build
  artifacts: { paths: [dist/] }

unit:
  stage: test
  script: npm test
  parallel:
    matrix:
      - NODE: ["18", "20"]
  needs: [compile]

lint:
  stage: test
  script: npm run lint
  needs: []
  allow_failure: { exit_codes: [2] }

docs:
  stage: test
  script: npm run docs
  rules:
    - changes: [docs/**/*]

release:
  stage: release
  script: npm publish
  rules:
    - if: $CI_COMMIT_TAG =~ /^v\\d+\\.\\d+\\.\\d+$/

deploy-staging:
  extends: .only-default-branch
  stage: deploy
  script: ./deploy staging
  environment: staging

deploy-production:
  stage: deploy
  script: ./deploy production
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
      when: manual
  needs: [deploy-staging]
`;

const summary = (overrides: Parameters<typeof jobsOf>[1]) =>
  jobsOf(CONFIG, overrides).map((j) => `${j.stage}/${j.name}/${j.when}${j.allowFailure ? "/allowed" : ""}`);

describe("a realistic config", () => {
  it("runs everything but the release on the default branch, with a manual production deploy", () => {
    expect(summary({ changes: (globs) => globs.includes("docs/**/*") })).toEqual([
      "build/compile/on_success",
      "test/unit: [18]/on_success",
      "test/unit: [20]/on_success",
      "test/lint/on_success/allowed",
      "test/docs/on_success",
      "deploy/deploy-staging/on_success",
      "deploy/deploy-production/manual",
    ]);
  });

  it("runs only build and test jobs on a feature branch whose docs did not change", () => {
    expect(summary({ ref: "feature/x", changes: () => false })).toEqual([
      "build/compile/on_success",
      "test/unit: [18]/on_success",
      "test/unit: [20]/on_success",
      "test/lint/on_success/allowed",
    ]);
  });

  it("releases a version tag", () => {
    expect(summary({ ref: "v1.2.3", tag: true })).toContain("release/release/on_success");
    expect(summary({ ref: "v1.2", tag: true })).not.toContain("release/release/on_success");
  });

  it("creates no branch pipeline while a merge request is open, but a merge request pipeline", () => {
    expect(plan(CONFIG, { variables: { CI_OPEN_MERGE_REQUESTS: "group/app!1" } })).toEqual({
      created: false,
      reason: "Pipeline filtered out by workflow rules.",
    });
    expect(summary({ source: "merge_request_event", ref: "feature/x" })).toEqual([
      "build/compile/on_success",
      "test/unit: [18]/on_success",
      "test/unit: [20]/on_success",
      "test/lint/on_success/allowed",
      "test/docs/on_success",
    ]);
  });

  it("gives jobs the defaults, the DAG and the lint exit codes", () => {
    const jobs = jobsOf(CONFIG);
    const byName = new Map(jobs.map((j) => [j.name, j]));
    expect(byName.get("compile")?.beforeScript).toEqual(["npm ci"]);
    expect(byName.get("compile")?.image).toEqual({ name: "node:$NODE_VERSION" });
    expect(byName.get("compile")?.retryMax).toBe(2);
    expect(byName.get("unit: [20]")?.needs).toEqual(["compile"]);
    expect(byName.get("lint")?.needs).toEqual([]);
    expect(byName.get("lint")?.allowFailureExitCodes).toEqual([2]);
    expect(byName.get("deploy-production")?.needs).toEqual(["deploy-staging"]);
  });
});
