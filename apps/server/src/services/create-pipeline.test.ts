import { createMemoryReader } from "@buildsim/ci-config";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import { FIXTURE_SHA, LOCAL_COMMIT, LOCAL_PROJECT } from "../test-support/local-pipeline-fixtures.js";
import { createTestStore } from "../test-support/test-store.js";
import { createBuildTransitions } from "./build-transitions.js";
import { type CreatePipeline, createPipelineCreator } from "./create-pipeline.js";

const project = LOCAL_PROJECT;
const commit = LOCAL_COMMIT;
const SHA = FIXTURE_SHA;

let store: Store;
let events: ServerEvents;
let create: CreatePipeline;
let tokens = 0;

beforeEach(() => {
  store = createTestStore();
  events = new ServerEvents();
  store.transaction(() => store.projects.insert(project));
  create = createPipelineCreator({
    store,
    transitions: createBuildTransitions(store, events),
    now: () => "2026-01-02T00:00:00.000Z",
    generateToken: () => `job-token-${++tokens}`,
  });
});
afterEach(() => store.close());

const input = (files: Record<string, string>, extra: Partial<Parameters<CreatePipeline>[0]> = {}) => ({
  project,
  commit,
  ref: "main",
  tag: false,
  beforeSha: null,
  source: "push",
  userId: null,
  variables: {},
  readFile: createMemoryReader(files),
  ...extra,
});

const CONFIG = `
stages: [build, test, deploy]
compile:
  stage: build
  script: [make]
unit:
  stage: test
  script: [make test]
lint:
  stage: test
  needs: []
  script: [make lint]
release:
  stage: deploy
  when: manual
  script: [make release]
only-tags:
  stage: deploy
  script: [publish]
  only: [tags]
`;

describe("creating a pipeline from .gitlab-ci.yml", () => {
  it("inserts every planned job as a build and starts only what may start", () => {
    const result = create(input({ ".gitlab-ci.yml": CONFIG }));
    if (!result.created) throw new Error(result.errors.join("\n"));
    const byName = Object.fromEntries(result.builds.map((b) => [b.name, b]));
    expect(Object.keys(byName).sort()).toEqual(["compile", "lint", "release", "unit"]);
    expect(byName.compile).toMatchObject({ status: "pending", stage: "build", commands: ["make"], sha: SHA });
    expect(byName.lint).toMatchObject({ status: "pending", needs: [] });
    expect(byName.unit).toMatchObject({ status: "created", stage: "test" });
    expect(byName.release).toMatchObject({ status: "created", when: "manual" });
    expect(result.pipeline).toMatchObject({ status: "pending", ref: "main", sha: SHA, source: "push" });
    expect(store.commits.get(1, SHA)?.message).toBe("Add CI\n");
    // Builds keep only the file's variables (GitLab's `yaml_variables`); predefined ones are added when
    // the job is sent to a runner.
    expect(byName.compile?.variables.some((v) => v.key === "CI_COMMIT_SHA")).toBe(false);
    expect(byName.compile?.variables).toContainEqual({ key: "CI_NODE_TOTAL", value: "1", public: true });
  });

  it("refuses an invalid file with CI Lint's message and its position, writing nothing", () => {
    const result = create(input({ ".gitlab-ci.yml": "build:\n  stage: build\n" }));
    expect(result.created).toBe(false);
    if (result.created) return;
    expect(result.errors.join("\n")).toMatch(/\.gitlab-ci\.yml:\d+:\d+: .*script/);
    expect(store.pipelines.nextId()).toBe(1);
  });

  it("creates no pipeline when workflow:rules filter it out", () => {
    const result = create(
      input({ ".gitlab-ci.yml": `workflow:\n  rules:\n    - if: $CI_COMMIT_TAG\n${CONFIG}` }),
    );
    expect(result).toMatchObject({ created: false });
  });

  it("passes pipeline variables to the rules and the jobs", () => {
    const result = create(
      input(
        { ".gitlab-ci.yml": 'deploy:\n  script: [ship]\n  rules:\n    - if: $DEPLOY == "yes"\n' },
        { variables: { DEPLOY: "yes" } },
      ),
    );
    if (!result.created) throw new Error(result.errors.join("\n"));
    expect(result.builds[0]?.variables).toContainEqual(
      expect.objectContaining({ key: "DEPLOY", value: "yes" }),
    );
  });

  it("announces the queued builds once the transaction commits", () => {
    const queued: string[] = [];
    events.on("buildQueued", (b) => queued.push(b.name));
    create(input({ ".gitlab-ci.yml": CONFIG }));
    expect(queued.sort()).toEqual(["compile", "lint"]);
  });

  it("runs only the jobs asked for, without their needs on the others", () => {
    const result = create(input({ ".gitlab-ci.yml": CONFIG }, { onlyJobs: ["unit", "lint"] }));
    if (!result.created) throw new Error(result.errors.join("\n"));
    expect(result.builds.map((b) => `${b.name}:${b.status}`).sort()).toEqual([
      "lint:pending",
      "unit:pending",
    ]);
  });

  it("refuses a job name the pipeline lacks, listing the jobs it has", () => {
    const result = create(input({ ".gitlab-ci.yml": CONFIG }, { onlyJobs: ["unit", "nosuch"] }));
    expect(result.created).toBe(false);
    if (result.created) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      /^no job "nosuch" in this pipeline; its jobs are: .*\bunit\b.*\blint\b|^no job "nosuch" in this pipeline; its jobs are: .*\blint\b.*\bunit\b/,
    );
  });
});
