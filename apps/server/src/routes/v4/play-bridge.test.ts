// POST /projects/:id/jobs/:job_id/play on a trigger job (bridge) with `when: manual`, as GitLab answers it:
// lib/api/ci/jobs.rb finds the job among the project's processables (`find_job!`), refuses one that is not
// `playable?` (Ci::Bridge: `action? && manual?`) with 400 "Unplayable Job", plays it (PlayBridgeService →
// pending, then the downstream pipeline is created) and answers 200 with `Entities::Ci::Bridge`.
// https://docs.gitlab.com/api/jobs/#run-a-job

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { downstreamFixtures } from "../../test-support/downstream-fixtures.js";
import { LOCAL_PROJECT } from "../../test-support/local-pipeline-fixtures.js";
import { startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;

beforeEach(async () => {
  server = await startTestServer();
  server.store.transaction(() => server.store.projects.insert(LOCAL_PROJECT));
});
afterEach(() => server.close());

const { run, named, pipelineStatus, settle, call } = downstreamFixtures(() => server);

const FILES = {
  ".gitlab-ci.yml": `
deploy:
  stage: deploy
  when: manual
  allow_failure: false
  trigger: { include: child.yml, strategy: depend }
auto:
  stage: deploy
  trigger: { include: child.yml }
`,
  "child.yml": "t: { script: x }\n",
};

describe("POST /projects/:id/jobs/:job_id/play on a trigger job", () => {
  it("plays a manual trigger job: 200 with the Bridge entity, then its downstream pipeline is created", async () => {
    const parent = run(FILES);
    await settle();
    const bridge = named(parent.id, "deploy");
    expect(bridge.status).toBe("manual");
    expect(server.store.pipelines.downstreamOf(bridge.id)).toBeUndefined();

    const played = await call("POST", `/jobs/${bridge.id}/play`);
    expect(played.status).toBe(200);
    // The downstream pipeline is created after the answer (after commit), as GitLab's worker does.
    expect(played.body).toMatchObject({
      id: bridge.id,
      name: "deploy",
      status: "pending",
      stage: "deploy",
      user: expect.objectContaining({ username: "root" }),
      downstream_pipeline: null,
    });
    expect(played.body).not.toHaveProperty("artifacts");

    await settle();
    const downstream = server.store.pipelines.downstreamOf(bridge.id)!;
    expect(downstream).toMatchObject({ source: "parent_pipeline", upstreamBridgeId: bridge.id });
    expect(named(parent.id, "deploy").status).toBe("running");
    const bridges = await call("GET", `/pipelines/${parent.id}/bridges`);
    expect(bridges.body).toContainEqual(
      expect.objectContaining({
        name: "deploy",
        status: "running",
        downstream_pipeline: expect.objectContaining({ id: downstream.id }),
      }),
    );
    expect(pipelineStatus(parent.id)).toBe("running");
  });

  it("refuses a trigger job that is not waiting to be played with 400 Unplayable Job", async () => {
    const parent = run(FILES);
    await settle();
    const auto = named(parent.id, "auto");
    expect(auto.status).toBe("success");
    expect(await call("POST", `/jobs/${auto.id}/play`)).toEqual({
      status: 400,
      body: { message: "400 Bad request - Unplayable Job" },
    });
    const deploy = named(parent.id, "deploy");
    expect((await call("POST", `/jobs/${deploy.id}/play`)).status).toBe(200);
    // Once played it is no longer manual: Ci::Bridge#playable? has no retry of a finished one.
    expect((await call("POST", `/jobs/${deploy.id}/play`)).status).toBe(400);
  });

  it("still finds trigger jobs nowhere else in the jobs API (find_build!)", async () => {
    const parent = run(FILES);
    await settle();
    const bridge = named(parent.id, "deploy");
    for (const [method, path] of [
      ["GET", `/jobs/${bridge.id}`],
      ["POST", `/jobs/${bridge.id}/cancel`],
      ["POST", `/jobs/${bridge.id}/retry`],
    ] as const)
      expect(await call(method, path)).toEqual({ status: 404, body: { message: "404 Not found" } });
    expect(named(parent.id, "deploy").status).toBe("manual");
  });
});
