import type { BuildEntityV3 } from "@buildsim/core";
import { afterEach, describe, expect, it } from "vitest";
import { createBuildsV3Api } from "./builds-v3-api.js";
import { createHttpTransport } from "./http-transport.js";
import { type RecordedRequest, startTestServer, type TestServer } from "./test-support/test-server.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const build = (id: number) => ({ id, status: "success", name: "rspec" }) as unknown as BuildEntityV3;

// Answers like GitLab: JSON for builds, bytes for artifacts, text for traces; records what was asked.
async function api() {
  server = await startTestServer({
    http: (request: RecordedRequest) => {
      const path = request.url.split("?")[0]!;
      if (path.endsWith("/trace"))
        return { status: 200, headers: { "content-type": "text/plain" }, body: "\u001b[32mok\u001b[0m\n" };
      if (path.endsWith("/artifacts") || path.endsWith("/download")) {
        return {
          status: 200,
          headers: { "content-type": "application/octet-stream" },
          body: new Uint8Array([80, 75, 3, 4]),
        };
      }
      if (path.endsWith("/builds")) return { status: 200, body: [build(2), build(1)] };
      return { status: request.method === "POST" ? 201 : 200, body: build(7) };
    },
  });
  return {
    builds: createBuildsV3Api(createHttpTransport({ baseUrl: server.url, token: "t" })),
    requests: server.requests,
  };
}

describe("v3 builds", () => {
  it("lists a project's builds with scope in the indexed form 8.17 accepts", async () => {
    const { builds, requests } = await api();
    const items = await builds.list(1, { scope: ["failed", "success"] }).toArray();
    expect(items.map((b) => b.id)).toEqual([2, 1]);
    expect(decodeURIComponent(requests[0]!.url)).toBe(
      "/api/v3/projects/1/builds?scope[0]=failed&scope[1]=success",
    );
  });

  it("sends a single scope as a plain string", async () => {
    const { builds, requests } = await api();
    await builds.list(1, { scope: "running", page: 2, perPage: 5 }).fetchPage();
    expect(requests[0]!.url).toBe("/api/v3/projects/1/builds?scope=running&page=2&per_page=5");
  });

  it("lists a commit's builds and encodes a namespaced project id", async () => {
    const { builds, requests } = await api();
    await builds.listForCommit("group/proj", "0ff3ae198f8601a285adcf5c0fff204ee6fba5fd").toArray();
    expect(requests[0]!.url).toBe(
      "/api/v3/projects/group%2Fproj/repository/commits/0ff3ae198f8601a285adcf5c0fff204ee6fba5fd/builds",
    );
  });

  it.each([
    ["cancel", "/cancel"],
    ["retry", "/retry"],
    ["erase", "/erase"],
    ["play", "/play"],
    ["keepArtifacts", "/artifacts/keep"],
  ] as const)("%s POSTs to …/builds/:id%s and returns the build", async (method, suffix) => {
    const { builds, requests } = await api();
    const result = await builds[method](1, 7);
    expect(result.id).toBe(7);
    expect(requests[0]).toMatchObject({ method: "POST", url: `/api/v3/projects/1/builds/7${suffix}` });
  });

  it("gets one build", async () => {
    const { builds, requests } = await api();
    expect((await builds.get(1, 7)).name).toBe("rspec");
    expect(requests[0]).toMatchObject({ method: "GET", url: "/api/v3/projects/1/builds/7" });
  });

  it("returns the trace as text with ANSI codes intact", async () => {
    const { builds } = await api();
    expect(await builds.trace(1, 7)).toBe("\u001b[32mok\u001b[0m\n");
  });

  it("downloads artifacts as bytes, by build and by ref and job name", async () => {
    const { builds, requests } = await api();
    expect([...(await builds.artifacts(1, 7))]).toEqual([80, 75, 3, 4]);
    expect([...(await builds.artifactsForRef(1, "feature/x", "build job"))]).toEqual([80, 75, 3, 4]);
    expect(requests.map((r) => r.url)).toEqual([
      "/api/v3/projects/1/builds/7/artifacts",
      "/api/v3/projects/1/builds/artifacts/feature%2Fx/download?job=build%20job",
    ]);
  });
});
