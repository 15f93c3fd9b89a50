// The web UI beside the API: its page at GitLab's page paths (so every web_url opens it), hashed assets
// cached for good, v3-era build links redirected, and the API's own 404s untouched.
// GitLab's page paths: https://docs.gitlab.com/ee/api/jobs.html (`web_url` …/-/jobs/:id) and
// https://docs.gitlab.com/ee/api/pipelines.html (…/-/pipelines/:id).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

const SEED = `
users:
  - { id: 1, username: root, admin: true, tokens: [tok-admin] }
projects:
  - { id: 1, path: group/sub/app }
`;

let dir: string;
let server: RunningServer;
let bare: RunningServer;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "buildsim-web-ui-"));
  mkdirSync(path.join(dir, "assets"));
  writeFileSync(path.join(dir, "index.html"), "<!doctype html><title>ui</title>");
  writeFileSync(path.join(dir, "assets", "index-abc.js"), "console.log(1)");
  server = await startTestServer({ seedText: SEED, webUiDir: dir });
  bare = await startTestServer({ seedText: SEED, webUiDir: false });
});
afterAll(async () => {
  await server.close();
  await bare.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the web UI routes", () => {
  it.each([
    "/",
    "/admin/runners",
    "/group/sub/app",
    "/group/sub/app/-/pipelines",
    "/group/sub/app/-/pipelines/3",
    "/group/sub/app/-/jobs/7",
  ])("answers %s with the app's page, never cached", async (page) => {
    const res = await api(server, page);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(await res.text()).toBe("<!doctype html><title>ui</title>");
  });

  it("serves hashed assets with their type, cached for good", async () => {
    const res = await api(server, "/assets/index-abc.js");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("redirects GitLab 8's …/builds/:id page to …/-/jobs/:id", async () => {
    const res = await api(server, "/group/sub/app/builds/7", { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/group/sub/app/-/jobs/7");
  });

  it("answers GitLab's catch-all 404 for unknown projects, missing assets and unknown API paths", async () => {
    for (const p of [
      "/nobody/app/-/pipelines",
      "/assets/nope.js",
      "/assets/..%2Findex.html",
      "/api/v4/nope",
    ]) {
      const res = await api(server, p);
      expect(res.status, p).toBe(404);
      expect(await res.json()).toEqual({ error: "404 Not Found" });
    }
  });

  it("leaves the API as it was", async () => {
    const res = await api(server, "/api/v4/projects/1", { token: "tok-admin" });
    expect(res.status).toBe(200);
    expect((await res.json()).path_with_namespace).toBe("group/sub/app");
  });

  it("serves nothing at / without a UI build", async () => {
    expect((await api(bare, "/")).status).toBe(404);
    expect(bare.webUiUrl).toBeNull();
    expect(server.webUiUrl).toBe(`${server.url}/`);
  });
});
