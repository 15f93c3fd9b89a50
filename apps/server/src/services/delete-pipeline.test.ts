// Deleting a pipeline over the real server (port 0, real SQLite): everything of it goes in one
// transaction — bridges, commit statuses, test reports, variables — while the pipelines it started stay,
// unlinked, and a resource its job held goes to the next job waiting (GitLab's Ci::DestroyPipelineService
// and `ci_sources_pipelines`' ON DELETE CASCADE).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { downstreamFixtures } from "../test-support/downstream-fixtures.js";
import { FIXTURE_SHA, LOCAL_PROJECT } from "../test-support/local-pipeline-fixtures.js";
import { api, startTestServer } from "../test-support/start-test-server.js";
import { deletePipeline } from "./delete-pipeline.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer();
  server.store.transaction(() => server.store.projects.insert(LOCAL_PROJECT));
});
afterEach(() => server.close());

const { run, builds, named, fire, settle } = downstreamFixtures(() => server);

describe("deletePipeline", () => {
  it("removes bridges, commit statuses, test reports and variables, and unlinks the child pipeline", async () => {
    const parent = run(
      {
        ".gitlab-ci.yml":
          "build: { stage: build, script: x }\nchild:\n  stage: test\n  trigger:\n    include: child.yml\n",
        "child.yml": "child-test:\n  script: echo child\n",
      },
      { TARGET: "prod" },
    );
    fire(named(parent.id, "build"), "run", "success");
    await settle();
    const child = server.store.pipelines.downstreamOf(named(parent.id, "child").id)!;
    const build = named(parent.id, "build");
    server.store.transaction(() =>
      server.store.testReports.put(
        { buildId: build.id, filename: "junit.xml.gz", size: 10, suiteError: null, cases: [] },
        server.app.now(),
      ),
    );
    const status = await api(
      server,
      `/api/v4/projects/1/statuses/${FIXTURE_SHA}?state=success&name=lint&pipeline_id=${parent.id}`,
      {
        method: "POST",
        token: server.token,
      },
    );
    expect(status.status).toBe(201);
    const ids = builds(parent.id).map((b) => b.id);
    expect(ids).toHaveLength(3);
    expect(server.store.pipelineVariables.list(parent.id)).toHaveLength(1);

    expect(deletePipeline(server.app, parent.id)).toBe(true);
    for (const id of ids) expect(server.store.builds.get(id)).toBeUndefined();
    expect(server.store.testReports.get(build.id)).toBeUndefined();
    expect(server.store.pipelineVariables.list(parent.id)).toEqual([]);
    expect(server.store.pipelines.get(child.id)).toMatchObject({
      upstreamBridgeId: null,
      upstreamPipelineId: null,
    });
    expect(builds(child.id).map((b) => b.name)).toEqual(["child-test"]);
    const statuses = await api(
      server,
      `/api/v4/projects/1/repository/commits/${FIXTURE_SHA}/statuses?all=true`,
      {
        token: server.token,
      },
    );
    expect(((await statuses.json()) as Array<{ name: string }>).map((s) => s.name)).toEqual(["child-test"]);
    expect(deletePipeline(server.app, parent.id)).toBe(false);
  });

  it("gives the resource a deleted job held to the next job waiting for it", () => {
    const files = { ".gitlab-ci.yml": "deploy:\n  script: x\n  resource_group: production\n" };
    const first = run(files);
    const second = run(files);
    fire(named(first.id, "deploy"), "run");
    expect(named(second.id, "deploy").status).toBe("waiting_for_resource");
    deletePipeline(server.app, first.id);
    expect(named(second.id, "deploy").status).toBe("pending");
  });

  it("stores a trace batch whose other chunk belongs to a build deleted since it arrived", () => {
    const files = { ".gitlab-ci.yml": "job:\n  script: x\n" };
    const gone = named(run(files).id, "job");
    const kept = named(run(files).id, "job");
    deletePipeline(server.app, gone.pipelineId);
    const batch = server.app.traces.appendBatch([
      { buildId: gone.id, offset: 0, bytes: Buffer.from("lost\n") },
      { buildId: kept.id, offset: 0, bytes: Buffer.from("ok\n") },
    ]);
    expect(batch.results).toEqual([
      { accepted: false, length: 0, appendedBytes: 0 },
      { accepted: true, length: 3, appendedBytes: 3 },
    ]);
    expect(server.store.traces.read(kept.id).toString()).toBe("ok\n");
  });
});
