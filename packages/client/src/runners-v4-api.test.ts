// The web UI's reads through the client: runners, a runner's jobs, projects, and buildsim's needs graph
// and job variables, each sent to the path GitLab (or buildsim) serves it at.
// https://docs.gitlab.com/ee/api/runners.html, https://docs.gitlab.com/ee/api/projects.html#list-all-projects

import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "./create-client.js";
import { type RecordedRequest, startTestServer, type TestServer } from "./test-support/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve() {
  server = await startTestServer({
    http: (request: RecordedRequest) => ({ status: 200, body: [{ id: 1, url: request.url }] }),
  });
  return { client: createClient({ baseUrl: server.url, token: "t" }), requests: server.requests };
}

describe("the UI's reads", () => {
  it("asks for runners, every runner, a runner's jobs and the projects", async () => {
    const { client, requests } = await serve();
    await client.v4.runners.list({ status: "online" }).fetchPage();
    await client.v4.runners.listAll().fetchPage();
    await client.v4.runners.jobs(4, { status: "running" }).fetchPage();
    await client.v4.projects.list({ perPage: 50 }).fetchPage();
    expect(requests.map((r) => r.url)).toEqual([
      "/api/v4/runners?status=online",
      "/api/v4/runners/all",
      "/api/v4/runners/4/jobs?status=running",
      "/api/v4/projects?per_page=50",
    ]);
  });

  it("asks buildsim for a pipeline's needs, its jobs and a job's variables", async () => {
    const { client, requests } = await serve();
    await client.buildsim.pipelineNeeds("g/app", 3);
    await client.buildsim.pipelineJobs("g/app", 3);
    await client.buildsim.jobVariables(1, 7);
    expect(requests.map((r) => r.url)).toEqual([
      "/-/buildsim/api/projects/g%2Fapp/pipelines/3/needs",
      "/-/buildsim/api/projects/g%2Fapp/pipelines/3/jobs",
      "/-/buildsim/api/projects/1/jobs/7/variables",
    ]);
  });
});
