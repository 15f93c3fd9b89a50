// `environment:auto_stop_in` through the real server: once the server's clock passes an environment's
// `auto_stop_at`, the sweep plays its `on_stop` job (environment `stopping`, then `stopped` when the job
// succeeds); an environment without a stop job is `stopped` at once.
// https://docs.gitlab.com/ci/environments/#stop-an-environment-after-a-certain-time-period

import { createMemoryReader } from "@buildsim/ci-config";
import type { Build } from "@buildsim/core";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { LOCAL_COMMIT, LOCAL_PROJECT } from "../test-support/local-pipeline-fixtures.js";
import { createFakeClock, startTestServer } from "../test-support/start-test-server.js";
import { stopExpiredEnvironments } from "./auto-stop-environments.js";
import { ensureLocalRunner } from "./local-project.js";

const CI = `
deploy:
  script: [deploy]
  environment: { name: review/app, on_stop: stop_review, auto_stop_in: 1 hour }
stop_review:
  when: manual
  script: [stop]
  environment: { name: review/app, action: stop }
plain:
  script: [deploy]
  environment: { name: plain, auto_stop_in: 2 hours }
`;

let server: RunningServer;
afterEach(() => server.close());

async function deployed() {
  const clock = createFakeClock();
  server = await startTestServer({ clock: clock.now });
  const { app } = server;
  app.store.transaction(() => app.store.projects.insert(LOCAL_PROJECT));
  const created = app.createPipeline({
    project: LOCAL_PROJECT,
    commit: LOCAL_COMMIT,
    ref: "main",
    tag: false,
    beforeSha: null,
    source: "push",
    userId: 1,
    variables: {},
    readFile: createMemoryReader({ ".gitlab-ci.yml": CI }),
  });
  if (!created.created) throw new Error(created.errors.join("\n"));
  // The deploy jobs run and succeed through core's machine, as a runner's finish would make them.
  const runnerId = ensureLocalRunner(app, []).id;
  for (const name of ["deploy", "plain"]) {
    const build = created.builds.find((b) => b.name === name)!;
    const at = app.now();
    const running = app.transitions.fire(app.store.builds.get(build.id)!, { type: "run", at, runnerId });
    app.transitions.fire(running, { type: "success", at });
  }
  const env = (name: string) => app.store.environments.getByName(LOCAL_PROJECT.id, name)!;
  const stopJob = () =>
    app.store.builds.listByPipeline(created.pipeline.id).find((b) => b.name === "stop_review")!;
  return { app, clock, env, stopJob, runnerId };
}

describe("environment:auto_stop_in", () => {
  it("leaves environments alone until their time has come", async () => {
    const { app, clock, env } = await deployed();
    expect(env("review/app")).toMatchObject({ state: "available", autoStopAt: "2026-01-01T01:00:00.000Z" });
    clock.advance(59 * 60 * 1000);
    expect(stopExpiredEnvironments(app)).toEqual([]);
    expect(env("review/app").state).toBe("available");
  });

  it("plays the on_stop job once auto_stop_at has passed, and stops an environment without one at once", async () => {
    const { app, clock, env, stopJob, runnerId } = await deployed();
    clock.advance(60 * 60 * 1000);
    expect(stopExpiredEnvironments(app).map((e) => [e.name, e.state])).toEqual([["review/app", "stopping"]]);
    expect(stopJob().status).toBe("pending");
    clock.advance(60 * 60 * 1000);
    expect(stopExpiredEnvironments(app).map((e) => [e.name, e.state])).toEqual([["plain", "stopped"]]);
    // The stop job's success completes the stop (Environments::StopService → deployment of action: stop).
    const at = app.now();
    const running = app.transitions.fire(stopJob(), { type: "run", at, runnerId });
    app.transitions.fire(running, { type: "success", at });
    expect(env("review/app")).toMatchObject({ state: "stopped", autoStopAt: null });
  });

  it("is swept by the running server on its own clock", async () => {
    const { app, clock, stopJob } = await deployed();
    const played = new Promise<Build>((resolve) =>
      app.events.on("buildChanged", (b) => {
        if (b.name === "stop_review" && b.status === "pending") resolve(b);
      }),
    );
    clock.advance(2 * 60 * 60 * 1000);
    expect((await played).id).toBe(stopJob().id);
  });
});
