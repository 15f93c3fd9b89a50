// The `gitlab-8.17` profile flips every divergence the spec lists; `docs` follows the seed document.

import { afterEach, describe, expect, it } from "vitest";
import type { ApiProfile } from "../profile.js";
import type { RunningServer } from "../start-server.js";
import { api, ROOT_TOKEN, SEED_DOC_FILE, startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
afterEach(() => server.close());
const start = async (profile: ApiProfile) => {
  server = await startTestServer({ seedFile: SEED_DOC_FILE, profile });
};
const get = (p: string, method = "GET") =>
  api(server, `/api/v3/projects/1${p}`, { token: ROOT_TOKEN, method });
type Entity = Record<string, unknown>;

describe("gitlab-8.17 profile", () => {
  it("exposes GitLab's key order with pipeline, and leaves artifacts_file out when there are none", async () => {
    await start("gitlab-8.17");
    const body = (await (await get("/builds/8")).json()) as Entity;
    expect(Object.keys(body)).toEqual([
      "id",
      "status",
      "stage",
      "name",
      "ref",
      "tag",
      "coverage",
      "created_at",
      "started_at",
      "finished_at",
      "user",
      "commit",
      "runner",
      "pipeline",
    ]);
    expect(body.pipeline).toEqual({
      id: 1,
      sha: "0ff3ae198f8601a285adcf5c0fff204ee6fba5fd",
      ref: "master",
      status: "failed",
    });
  });

  it("shows artifacts_file between user and commit when there are artifacts", async () => {
    await start("gitlab-8.17");
    const body = (await (await get("/builds/7")).json()) as Entity;
    expect(Object.keys(body).slice(10, 13)).toEqual(["user", "artifacts_file", "commit"]);
    expect(body.artifacts_file).toEqual({ filename: "artifacts.zip", size: 1000 });
  });

  it("renders the 8.17 user and commit entities", async () => {
    await start("gitlab-8.17");
    const body = (await (await get("/builds/8")).json()) as { user: Entity; commit: Entity };
    expect(body.user.web_url).toBe("http://gitlab.dev/root");
    expect(body.user).toHaveProperty("location", null);
    expect(body.user).toHaveProperty("organization", null);
    expect(Object.keys(body.commit)).toEqual([
      "id",
      "short_id",
      "title",
      "author_name",
      "author_email",
      "created_at",
      "committer_name",
      "committer_email",
      "message",
    ]);
  });

  it("answers 200 with an empty text/plain body for a build without a trace", async () => {
    await start("gitlab-8.17");
    const res = await get("/builds/7/trace");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(await res.text()).toBe("");
  });

  it("has no download_url in the erase answer", async () => {
    await start("gitlab-8.17");
    const res = await get("/builds/8/erase", "POST");
    expect(res.status).toBe(201);
    expect(await res.json()).not.toHaveProperty("download_url");
  });
});

describe("docs profile", () => {
  it("shows artifacts_file: null for a build without artifacts", async () => {
    await start("docs");
    expect(await (await get("/builds/8")).json()).toHaveProperty("artifacts_file", null);
  });

  it("has no pipeline key", async () => {
    await start("docs");
    expect(await (await get("/builds/8")).json()).not.toHaveProperty("pipeline");
  });
});
