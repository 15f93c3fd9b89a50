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
});
