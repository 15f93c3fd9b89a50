// The project events socket the web UI lives on: who may open it (the v4 API's read rules, anonymous for
// public projects with public jobs) and the job and pipeline changes it carries as they are committed.

import { EVENTS_WS_PATH, type ServerToEventsWatcherMessage } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { openClient, type ProtocolClient } from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../test-support/runner-seed.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

// Project 3 is public with public jobs, so anonymous visitors may watch it (GitLab lets anonymous users
// read public pipelines: https://docs.gitlab.com/ee/ci/pipelines/settings.html#change-pipeline-visibility-for-non-project-members-in-public-projects).
const SEED = RUNNER_SEED.replace(
  "projects:\n",
  "projects:\n  - { id: 3, path: acme/public, visibility: public, public_builds: true }\n",
);

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: SEED });
});
afterEach(() => server.close());

function connect(
  project: string | number,
  token?: string,
): Promise<ProtocolClient<ServerToEventsWatcherMessage>> {
  const url = `${server.url.replace(/^http/, "ws")}${EVENTS_WS_PATH}?project=${encodeURIComponent(String(project))}`;
  return openClient<ServerToEventsWatcherMessage>(url, token ? { "PRIVATE-TOKEN": token } : {});
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => ({ status: 101, body: null }),
    (e: { status: number; body: string }) => ({ status: e.status, body: JSON.parse(e.body) }),
  );

describe("opening the events socket", () => {
  it("answers 401 to an unknown token and 404 Project Not Found to an anonymous caller of a private project", async () => {
    expect(await refusal(connect(1, "nope"))).toEqual({ status: 401, body: { message: "401 Unauthorized" } });
    expect(await refusal(connect(1))).toEqual({ status: 404, body: { message: "404 Project Not Found" } });
  });

  it("answers 403 to a guest, who may not read jobs, and 400 without a project", async () => {
    expect(await refusal(connect(1, T.guest))).toEqual({ status: 403, body: { message: "403 Forbidden" } });
    const url = `${server.url.replace(/^http/, "ws")}${EVENTS_WS_PATH}`;
    expect(await refusal(openClient(url, { "PRIVATE-TOKEN": T.admin }))).toEqual({
      status: 400,
      body: { error: "project is missing" },
    });
  });

  it("lets an anonymous visitor watch a public project with public jobs, by id or path", async () => {
    await (await connect(3)).close();
    await (await connect("acme/public")).close();
  });
});

describe("events", () => {
  it("tells a reporter which job and pipeline changed when a job is canceled", async () => {
    const watcher = await connect("acme/app", T.reporter);
    const canceled = await api(server, "/api/v4/projects/1/jobs/2/cancel", {
      method: "POST",
      token: T.admin,
    });
    expect(canceled.status).toBe(201);
    expect(await watcher.nextOf("job", ["pipeline"])).toEqual({
      type: "job",
      id: 2,
      pipeline_id: 1,
      status: "canceled",
    });
    expect(await watcher.nextOf("pipeline", ["job"])).toMatchObject({ type: "pipeline", id: 1 });
    await watcher.close();
  });

  it("sends nothing about another project's jobs", async () => {
    const watcher = await connect(1, T.admin);
    await api(server, "/api/v4/projects/2/jobs/4/cancel", { method: "POST", token: T.admin });
    await api(server, "/api/v4/projects/1/jobs/2/cancel", { method: "POST", token: T.admin });
    // The first event is project 1's, though project 2's cancel was committed before it.
    expect(await watcher.next()).toMatchObject({ type: "job", id: 2 });
    await watcher.close();
  });
});
