import { afterEach, describe, expect, it } from "vitest";
import { createCommitsV4Api } from "./commits-v4-api.js";
import { createHttpTransport } from "./http-transport.js";
import { type RecordedRequest, startTestServer, type TestServer } from "./test-support/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve() {
  server = await startTestServer({
    http: (request: RecordedRequest) =>
      request.method === "POST"
        ? { status: 201, body: { id: 12, name: "external-ci", status: "running" } }
        : { status: 200, body: [{ id: 12, name: "external-ci", status: "running" }] },
  });
  return {
    commits: createCommitsV4Api(createHttpTransport({ baseUrl: server.url })),
    requests: server.requests,
  };
}

// https://docs.gitlab.com/17.0/ee/api/commits.html#list-the-statuses-of-a-commit and
// https://docs.gitlab.com/17.0/ee/api/commits.html#set-the-pipeline-status-of-a-commit
describe("v4 commit statuses", () => {
  it("lists a commit's statuses with GitLab's filter names", async () => {
    const { commits, requests } = await serve();
    const statuses = await commits
      .statuses("g/p", "abc123", { pipelineId: 4, all: true, perPage: 50 })
      .toArray();
    expect(statuses.map((s) => s.name)).toEqual(["external-ci"]);
    expect(requests[0]!.url).toBe(
      "/api/v4/projects/g%2Fp/repository/commits/abc123/statuses?pipeline_id=4&all=true&per_page=50",
    );
  });

  it("sets a status with the snake_case fields GitLab reads, leaving out what was not given", async () => {
    const { commits, requests } = await serve();
    const status = await commits.setStatus(1, "abc123", {
      state: "running",
      name: "external-ci",
      targetUrl: "https://ci.example/runs/1",
      pipelineId: 4,
    });
    expect(status.id).toBe(12);
    expect(requests[0]!.method).toBe("POST");
    expect(requests[0]!.url).toBe("/api/v4/projects/1/statuses/abc123");
    expect(JSON.parse(requests[0]!.body)).toEqual({
      state: "running",
      name: "external-ci",
      target_url: "https://ci.example/runs/1",
      pipeline_id: 4,
    });
  });
});
