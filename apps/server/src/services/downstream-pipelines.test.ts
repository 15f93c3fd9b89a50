// Trigger jobs over the real server (port 0, real SQLite): child and multi-project downstream pipelines,
// `strategy: depend`, GitLab's failure reasons, and the bridges API.
// https://docs.gitlab.com/ci/pipelines/downstream_pipelines/ and https://docs.gitlab.com/api/jobs/#list-pipeline-trigger-jobs

import { strToU8, zipSync } from "fflate";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { downstreamFixtures } from "../test-support/downstream-fixtures.js";
import { LOCAL_PROJECT } from "../test-support/local-pipeline-fixtures.js";
import { startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;

beforeEach(async () => {
  server = await startTestServer();
  server.store.transaction(() => server.store.projects.insert(LOCAL_PROJECT));
});
afterEach(() => server.close());

const { run, builds, named, fire, settle, call } = downstreamFixtures(() => server);
const get = (path: string) => call("GET", path);

const CHILD = "child-test:\n  script: echo child\n";

describe("a child pipeline from trigger:include", () => {
  it("is created once the bridge is pending, with source parent_pipeline, and the bridge succeeds", async () => {
    const parent = run({
      ".gitlab-ci.yml":
        "build: { stage: build, script: x }\nchild:\n  stage: test\n  trigger:\n    include: child.yml\n",
      "child.yml": CHILD,
    });
    expect(named(parent.id, "child").status).toBe("created");
    fire(named(parent.id, "build"), "run", "success");
    await settle();
    const bridge = named(parent.id, "child");
    const downstream = server.store.pipelines.downstreamOf(bridge.id)!;
    expect(downstream).toMatchObject({
      source: "parent_pipeline",
      upstreamBridgeId: bridge.id,
      upstreamPipelineId: parent.id,
      ref: "main",
      sha: parent.sha,
    });
    // Without `strategy: depend` the bridge succeeds as soon as the downstream pipeline exists.
    expect(bridge.status).toBe("success");
    expect(bridge.runnerId).toBeNull();
    expect(builds(downstream.id).map((b) => [b.name, b.status])).toEqual([["child-test", "pending"]]);

    const bridges = await get(`/pipelines/${parent.id}/bridges`);
    expect(bridges.status).toBe(200);
    expect(bridges.body).toEqual([
      expect.objectContaining({
        id: bridge.id,
        name: "child",
        status: "success",
        downstream_pipeline: expect.objectContaining({ id: downstream.id, source: "parent_pipeline" }),
      }),
    ]);
    // GitLab lists trigger jobs only under /bridges, and finds no job by their id.
    const jobs = await get(`/pipelines/${parent.id}/jobs`);
    expect((jobs.body as { name: string }[]).map((j) => j.name)).toEqual(["build"]);
    expect((await get(`/jobs/${bridge.id}`)).status).toBe(404);
    expect((await get(`/pipelines/${downstream.id}`)).body).toMatchObject({ source: "parent_pipeline" });
  });

  it("mirrors the child's failure on a strategy: depend bridge and its pipeline", async () => {
    const parent = run({
      ".gitlab-ci.yml":
        "child:\n  trigger:\n    include: child.yml\n    strategy: depend\nafter: { stage: deploy, script: x }\n",
      "child.yml": CHILD,
    });
    await settle();
    const downstream = server.store.pipelines.downstreamOf(named(parent.id, "child").id)!;
    expect(named(parent.id, "child").status).toBe("running");
    expect(server.store.pipelines.get(parent.id)?.status).toBe("running");
    fire(named(downstream.id, "child-test"), "run", "drop");
    expect(server.store.pipelines.get(downstream.id)?.status).toBe("failed");
    expect(named(parent.id, "child")).toMatchObject({ status: "failed", failureReason: "unknown_failure" });
    expect(named(parent.id, "after").status).toBe("skipped");
    expect(server.store.pipelines.get(parent.id)?.status).toBe("failed");
    const failed = await get(`/pipelines/${parent.id}/bridges?scope[]=failed`);
    expect(failed.body).toEqual([
      expect.objectContaining({ name: "child", failure_reason: "unknown_failure" }),
    ]);
    expect((await get(`/pipelines/${parent.id}/bridges?scope=success`)).body).toEqual([]);
  });

  it("reads a generated config from an earlier job's artifacts (include:artifact)", async () => {
    const parent = run({
      ".gitlab-ci.yml":
        "generate: { stage: build, script: x, artifacts: { paths: [gen.yml] } }\nchild:\n  stage: test\n  trigger:\n    include:\n      - artifact: gen.yml\n        job: generate\n",
    });
    const generate = named(parent.id, "generate");
    server.store.transaction(() => {
      const zip = zipSync({ "gen.yml": strToU8("generated:\n  script: echo generated\n") });
      server.store.artifacts.put(generate.id, "artifacts.zip", zip, server.app.now());
      server.app.transitions.saveDetails({
        ...generate,
        artifactsFile: { filename: "artifacts.zip", size: zip.byteLength },
      });
    });
    fire(generate, "run", "success");
    await settle();
    const downstream = server.store.pipelines.downstreamOf(named(parent.id, "child").id)!;
    expect(builds(downstream.id).map((b) => b.name)).toEqual(["generated"]);
  });

  it("passes the bridge's variables (forward:yaml_variables) but not the pipeline's by default", async () => {
    const parent = run(
      {
        ".gitlab-ci.yml":
          'variables: { GLOBAL: g }\nchild:\n  variables: { PARENT_PIPELINE_ID: $CI_PIPELINE_ID, MIX: "$GLOBAL-x" }\n  trigger: { include: child.yml }\nall:\n  trigger: { include: child.yml, forward: { pipeline_variables: true, yaml_variables: false } }\n',
        "child.yml": CHILD,
      },
      { FROM_CLI: "cli" },
    );
    await settle();
    const vars = (name: string) => {
      const downstream = server.store.pipelines.downstreamOf(named(parent.id, name).id)!;
      return named(downstream.id, "child-test")
        .variables.filter((v) => !v.public)
        .map((v) => [v.key, v.value]);
    };
    // The global variables reach the bridge (inherit), so they travel too, expanded as the bridge sees them.
    expect(vars("child")).toEqual([
      ["GLOBAL", "g"],
      ["PARENT_PIPELINE_ID", String(parent.id)],
      ["MIX", "g-x"],
    ]);
    expect(vars("all")).toEqual([["FROM_CLI", "cli"]]);
  });
});

describe("pipeline actions reach downstream pipelines", () => {
  const post = (path: string) => call("POST", path).then((r) => r.status);
  const DEPEND = {
    ".gitlab-ci.yml": "child:\n  trigger: { include: child.yml, strategy: depend }\n",
    "child.yml": CHILD,
  };

  // Ci::CancelPipelineService cascades to child pipelines (gitlab-org/gitlab!82511).
  it("cancels the child pipelines with their parent", async () => {
    const parent = run(DEPEND);
    await settle();
    const downstream = server.store.pipelines.downstreamOf(named(parent.id, "child").id)!;
    expect(await post(`/pipelines/${parent.id}/cancel`)).toBe(200);
    expect(named(downstream.id, "child-test").status).toBe("canceled");
    expect(server.store.pipelines.get(downstream.id)?.status).toBe("canceled");
    expect(named(parent.id, "child").status).toBe("canceled");
    expect(server.store.pipelines.get(parent.id)?.status).toBe("canceled");
  });

  // Retrying a trigger job creates a new downstream pipeline (gitlab-org/gitlab!78444).
  it("creates a new downstream pipeline when the failed trigger job is retried", async () => {
    const parent = run(DEPEND);
    await settle();
    const first = server.store.pipelines.downstreamOf(named(parent.id, "child").id)!;
    fire(named(first.id, "child-test"), "run", "drop");
    expect(server.store.pipelines.get(parent.id)?.status).toBe("failed");
    expect(await post(`/pipelines/${parent.id}/retry`)).toBe(201);
    await settle();
    const retried = named(parent.id, "child");
    const second = server.store.pipelines.downstreamOf(retried.id)!;
    expect(second.id).not.toBe(first.id);
    expect(retried.status).toBe("running");
    fire(named(second.id, "child-test"), "run", "success");
    expect(named(parent.id, "child").status).toBe("success");
    expect(server.store.pipelines.get(parent.id)?.status).toBe("success");
  });
});

describe("a bridge fails with GitLab's failure reason", () => {
  it.each([
    ["an unknown project", "trigger: group/missing", "downstream_bridge_project_not_found"],
    ["its own project as a multi-project trigger", "trigger: local/demo", "invalid_bridge_trigger"],
    ["a child config with no jobs", "trigger: { include: empty.yml }", "downstream_pipeline_creation_failed"],
    [
      "a child filtered out by its workflow:rules",
      "trigger: { include: never.yml }",
      "downstream_pipeline_creation_failed",
    ],
  ])("for %s", async (_name, trigger, reason) => {
    const parent = run({
      ".gitlab-ci.yml": `up:\n  ${trigger}\n`,
      "empty.yml": ".hidden: { script: x }\n",
      "never.yml": "workflow: { rules: [{ when: never }] }\nt: { script: x }\n",
    });
    await settle();
    const bridge = named(parent.id, "up");
    expect(bridge).toMatchObject({ status: "failed", failureReason: reason });
    expect(server.store.pipelines.downstreamOf(bridge.id)).toBeUndefined();
    expect(server.store.pipelines.get(parent.id)?.status).toBe("failed");
  });

  it("writes why the child could not be created where the bridge's log is read", async () => {
    const parent = run({
      ".gitlab-ci.yml": "up:\n  trigger: { include: empty.yml }\n",
      "empty.yml": ".x: { script: y }\n",
    });
    await settle();
    const bridge = named(parent.id, "up");
    expect(server.app.traces.readMasked(bridge.id).toString()).toContain(
      "jobs config should contain at least one visible job",
    );
  });

  // CreateDownstreamPipelineService::MAX_NESTED_CHILDREN = 2: a parent, a child and a grandchild.
  it("stops at GitLab's depth: a grandchild may not trigger a child of its own", async () => {
    const nest = "nest:\n  trigger: { include: nest.yml, strategy: depend }\n";
    const parent = run({ ".gitlab-ci.yml": nest, "nest.yml": nest });
    await settle();
    const child = server.store.pipelines.downstreamOf(named(parent.id, "nest").id)!;
    const grandchild = server.store.pipelines.downstreamOf(named(child.id, "nest").id)!;
    expect(grandchild.source).toBe("parent_pipeline");
    expect(named(grandchild.id, "nest")).toMatchObject({
      status: "failed",
      failureReason: "reached_max_descendant_pipelines_depth",
    });
    // The failure climbs the strategy: depend bridges to the top.
    expect(server.store.pipelines.get(parent.id)?.status).toBe("failed");
  });

  it("is never claimed by a runner, even while pending", () => {
    const parent = run({ ".gitlab-ci.yml": "up:\n  trigger: group/missing\n" });
    // The bridge is pending until the after-commit work runs: no runner may take it meanwhile.
    expect(named(parent.id, "up").status).toBe("pending");
    expect(server.store.builds.listPending().map((b) => b.name)).toEqual([]);
  });
});

describe("a multi-project downstream pipeline", () => {
  it("fails the bridge when the project exists but has no repository to read", async () => {
    server.store.transaction(() =>
      server.store.projects.insert({
        ...LOCAL_PROJECT,
        id: 2,
        pathWithNamespace: "group/other",
        name: "other",
      }),
    );
    const parent = run({ ".gitlab-ci.yml": "up:\n  trigger: { project: group/other, branch: main }\n" });
    await settle();
    const bridge = named(parent.id, "up");
    expect(bridge).toMatchObject({ status: "failed", failureReason: "downstream_pipeline_creation_failed" });
    expect(server.app.traces.readMasked(bridge.id).toString()).toBe("Missing CI config file\n");
  });
});
