import { afterEach, describe, expect, it } from "vitest";
import { createHttpTransport } from "./http-transport.js";
import { createInstanceV4Api } from "./instance-v4-api.js";
import { createPipelinesV4Api } from "./pipelines-v4-api.js";
import { type RecordedRequest, startTestServer, type TestServer } from "./test-support/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve() {
  server = await startTestServer({
    http: (request: RecordedRequest) => {
      const path = request.url.split("?")[0]!;
      if (path.endsWith("/bridges")) return { status: 200, body: [] };
      if (path.endsWith("/pipelines")) return { status: 200, body: [{ id: 6, status: "success" }] };
      if (path === "/api/v4/user") return { status: 200, body: { id: 1, username: "root" } };
      if (path === "/api/v4/version") return { status: 200, body: { version: "16.0.0", revision: "abc" } };
      return {
        status: request.method === "POST" ? 201 : 200,
        body: { id: 9, status: "pending", path_with_namespace: "g/p" },
      };
    },
  });
  const transport = createHttpTransport({ baseUrl: server.url });
  return {
    pipelines: createPipelinesV4Api(transport),
    instance: createInstanceV4Api(transport),
    requests: server.requests,
  };
}

describe("v4 pipelines", () => {
  it("lists pipelines filtered by status, ref and scope", async () => {
    const { pipelines, requests } = await serve();
    const items = await pipelines.list(1, { status: "success", ref: "main", scope: "finished" }).toArray();
    expect(items.map((p) => p.id)).toEqual([6]);
    expect(requests[0]!.url).toBe("/api/v4/projects/1/pipelines?scope=finished&status=success&ref=main");
  });

  it("reads a pipeline's bridges, test report and test report summary from GitLab's paths", async () => {
    // https://docs.gitlab.com/ee/api/jobs.html#list-pipeline-trigger-jobs and
    // https://docs.gitlab.com/ee/api/pipelines.html#get-a-pipelines-test-report
    const { pipelines, requests } = await serve();
    await pipelines.bridges("g/p", 4, { perPage: 50 }).toArray();
    await pipelines.testReport("g/p", 4);
    await pipelines.testReportSummary("g/p", 4);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "GET /api/v4/projects/g%2Fp/pipelines/4/bridges?per_page=50",
      "GET /api/v4/projects/g%2Fp/pipelines/4/test_report",
      "GET /api/v4/projects/g%2Fp/pipelines/4/test_report_summary",
    ]);
  });

  it("gets one pipeline", async () => {
    const { pipelines, requests } = await serve();
    expect((await pipelines.get(1, 9)).id).toBe(9);
    expect(requests[0]!.url).toBe("/api/v4/projects/1/pipelines/9");
  });

  it("cancels a pipeline at GitLab's path", async () => {
    // https://docs.gitlab.com/ee/api/pipelines.html#cancel-a-pipelines-jobs
    const { pipelines, requests } = await serve();
    expect((await pipelines.cancel("g/p", 9)).id).toBe(9);
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST /api/v4/projects/g%2Fp/pipelines/9/cancel",
    ]);
  });

  it("creates a pipeline for a ref with variables in GitLab's shape", async () => {
    const { pipelines, requests } = await serve();
    const pipeline = await pipelines.create(1, "feature/x", {
      variables: [
        { key: "DEPLOY", value: "yes" },
        { key: "CFG", value: "a=b", variableType: "file" },
      ],
    });
    expect(pipeline.status).toBe("pending");
    expect(requests[0]).toMatchObject({ method: "POST", url: "/api/v4/projects/1/pipeline?ref=feature%2Fx" });
    expect(JSON.parse(requests[0]!.body)).toEqual({
      variables: [
        { key: "DEPLOY", value: "yes", variable_type: "env_var" },
        { key: "CFG", value: "a=b", variable_type: "file" },
      ],
    });
  });
});

describe("v4 instance reads", () => {
  it("reads the current user, the version and a project by path", async () => {
    const { instance, requests } = await serve();
    expect((await instance.user()).username).toBe("root");
    expect((await instance.version()).version).toBe("16.0.0");
    expect((await instance.projects.get("g/p")).path_with_namespace).toBe("g/p");
    expect(requests.map((r) => r.url)).toEqual(["/api/v4/user", "/api/v4/version", "/api/v4/projects/g%2Fp"]);
  });
});
