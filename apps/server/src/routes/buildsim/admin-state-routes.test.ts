// The state as data over HTTP (/-/buildsim/admin/state): a fixture made from one server's run loaded
// into another. Every response goes through api(), which checks it against the server's OpenAPI document.

import { describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startedPerTest } from "../../test-support/start-test-server.js";

const start = startedPerTest();
const ROOT = V4_TOKENS.root;

describe("the admin API's state", () => {
  it("exports the state with GET and loads it into another server with PUT", async () => {
    const source = await start(JOBS_V4_SEED);
    await api(source, "/api/v4/projects/1/jobs/2/retry", { method: "POST", token: ROOT });
    const exported = await api(source, "/-/buildsim/admin/state", { token: ROOT });
    expect(exported.status).toBe(200);
    const fixture = await exported.text();
    const target = await start();
    const loaded = await api(target, "/-/buildsim/admin/state", {
      method: "PUT",
      token: target.token,
      headers: { "Content-Type": "application/json" },
      body: fixture,
    });
    expect(loaded.status).toBe(204);
    // The target's handle token still works (given to the fixture's admin), as does the fixture's own.
    const names = async (s: RunningServer, token: string) =>
      ((await (await api(s, "/api/v4/projects/1/jobs", { token })).json()) as Array<{ name: string }>).map(
        (j) => j.name,
      );
    expect(await names(target, ROOT)).toEqual(await names(source, ROOT));
    expect(await names(target, target.token)).toHaveLength(6);
  });

  // Grape's 400 for a bad parameter, `{"error": …}`, listing the fixture's problems with their places.
  it("answers 400 listing a fixture's problems, and keeps the state", async () => {
    const server = await start(JOBS_V4_SEED);
    const res = await api(server, "/-/buildsim/admin/state", {
      method: "PUT",
      token: ROOT,
      body: "projects:\n  - { id: 1, path: nopath }\n",
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /^fixture has 1 problem\(s\): projects\[0\]\.path.*must look like namespace\/project/,
    );
    expect((await api(server, "/api/v4/projects/1/jobs/1", { token: ROOT })).status).toBe(200);
  });

  it("merges a fixture into the state with ?mode=merge, and answers 400 naming what contradicts it", async () => {
    const server = await start(JOBS_V4_SEED);
    const put = (query: string, body: string) =>
      api(server, `/-/buildsim/admin/state${query}`, { method: "PUT", token: ROOT, body });
    const merged = await put(
      "?mode=merge",
      "builds:\n  - { id: 40, pipeline: 2, name: merged, status: failed }\n",
    );
    expect(merged.status).toBe(204);
    const jobs = (await (
      await api(server, "/api/v4/projects/1/pipelines/2/jobs", { token: ROOT })
    ).json()) as Array<{ id: number }>;
    expect(jobs.map((j) => j.id).sort((a, b) => a - b)).toEqual([4, 5, 40]);
    const refused = await put("?mode=merge", "builds:\n  - { id: 41, pipeline: 99, name: orphan }\n");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: "fixture has 1 problem(s): builds[0].pipeline: must name a declared pipeline",
    });
    const badMode = await put("?mode=append", "builds: []\n");
    expect(badMode.status).toBe(400);
    expect(await badMode.json()).toEqual({ error: "mode does not have a valid value (replace or merge)" });
    expect((await api(server, "/api/v4/projects/1/jobs/41", { token: ROOT })).status).toBe(404);
  });
});
