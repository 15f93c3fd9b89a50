import type { BridgeEntity, JobEntity } from "@buildsim/core";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { createHttpTransport } from "./http-transport.js";
import { createJobsV4Api } from "./jobs-v4-api.js";
import { type RecordedRequest, startTestServer, type TestServer } from "./test-support/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const job = (id: number) => ({ id, status: "failed", name: "test" }) as unknown as JobEntity;

async function api() {
  server = await startTestServer({
    http: (request: RecordedRequest) => {
      const path = request.url.split("?")[0]!;
      if (request.method === "DELETE") return { status: 204 };
      if (path.endsWith("/trace"))
        return { status: 200, headers: { "content-type": "text/plain" }, body: "line\n" };
      if (path.includes("/artifacts") && request.method === "GET") {
        return {
          status: 200,
          headers: { "content-type": "application/octet-stream" },
          body: new Uint8Array([1, 2, 3]),
        };
      }
      if (path.endsWith("/jobs")) return { status: 200, body: [job(3)] };
      return { status: request.method === "POST" ? 201 : 200, body: job(5) };
    },
  });
  return { jobs: createJobsV4Api(createHttpTransport({ baseUrl: server.url })), requests: server.requests };
}

describe("v4 jobs", () => {
  it("lists a project's jobs with scope[] brackets, like python-gitlab", async () => {
    const { jobs, requests } = await api();
    expect((await jobs.list(1, { scope: ["failed", "manual"] }).toArray()).map((j) => j.id)).toEqual([3]);
    expect(decodeURIComponent(requests[0]!.url)).toBe(
      "/api/v4/projects/1/jobs?scope[]=failed&scope[]=manual",
    );
  });

  it("lists a pipeline's jobs with include_retried", async () => {
    const { jobs, requests } = await api();
    await jobs.listForPipeline("ns/p", 6, { scope: "success", includeRetried: true }).toArray();
    expect(requests[0]!.url).toBe(
      "/api/v4/projects/ns%2Fp/pipelines/6/jobs?scope=success&include_retried=true",
    );
  });

  it.each([
    ["cancel", "/cancel"],
    ["retry", "/retry"],
    ["erase", "/erase"],
    ["play", "/play"],
    ["keepArtifacts", "/artifacts/keep"],
  ] as const)("%s POSTs to …/jobs/:id%s and returns the job", async (method, suffix) => {
    const { jobs, requests } = await api();
    expect((await jobs[method](1, 5)).id).toBe(5);
    expect(requests[0]).toMatchObject({ method: "POST", url: `/api/v4/projects/1/jobs/5${suffix}` });
  });

  // GitLab's play answers a manual trigger job with Entities::Ci::Bridge (lib/api/ci/jobs.rb), so the type
  // says so: code reading `runner` or `artifacts` must first tell the two apart. Checked by tsc.
  it("types play's answer as a job or a bridge, and the other actions' as a job", () => {
    type Answer<M extends "play" | "retry"> = Awaited<ReturnType<Awaited<ReturnType<typeof api>>["jobs"][M]>>;
    expectTypeOf<Answer<"play">>().toEqualTypeOf<JobEntity | BridgeEntity>();
    expectTypeOf<Answer<"retry">>().toEqualTypeOf<JobEntity>();
  });

  it("deletes artifacts and resolves on 204", async () => {
    const { jobs, requests } = await api();
    await expect(jobs.deleteArtifacts(1, 5)).resolves.toBeUndefined();
    expect(requests[0]).toMatchObject({ method: "DELETE", url: "/api/v4/projects/1/jobs/5/artifacts" });
  });

  it("reads a job, its trace as text and as bytes", async () => {
    const { jobs, requests } = await api();
    expect((await jobs.get(1, 5)).status).toBe("failed");
    expect(await jobs.trace(1, 5)).toBe("line\n");
    expect(new TextDecoder().decode(await jobs.traceBytes(1, 5))).toBe("line\n");
    expect(requests.map((r) => r.url)).toEqual([
      "/api/v4/projects/1/jobs/5",
      "/api/v4/projects/1/jobs/5/trace",
      "/api/v4/projects/1/jobs/5/trace",
    ]);
  });

  it("downloads the archive, one file, and the latest artifacts of a ref", async () => {
    const { jobs, requests } = await api();
    expect([...(await jobs.artifacts(1, 5))]).toEqual([1, 2, 3]);
    expect([...(await jobs.artifactFile(1, 5, "out/result file.txt"))]).toEqual([1, 2, 3]);
    expect([...(await jobs.artifactsForRef(1, "main", "build"))]).toEqual([1, 2, 3]);
    expect([...(await jobs.artifactFileForRef(1, "v1.0", "out/a.txt", "build"))]).toEqual([1, 2, 3]);
    expect(requests.map((r) => r.url)).toEqual([
      "/api/v4/projects/1/jobs/5/artifacts",
      "/api/v4/projects/1/jobs/5/artifacts/out/result%20file.txt",
      "/api/v4/projects/1/jobs/artifacts/main/download?job=build",
      "/api/v4/projects/1/jobs/artifacts/v1.0/raw/out/a.txt?job=build",
    ]);
  });
});
