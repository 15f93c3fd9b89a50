// Jobs without a runner over HTTP (/-/buildsim/admin/scripts and /-/buildsim/admin/jobs/:job_id/…).
// Every response goes through api(), which checks it against the server's OpenAPI document.

import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ROOT = V4_TOKENS.root;
const send = (method: string, path: string, body?: unknown) =>
  api(server!, path, {
    method,
    token: ROOT,
    ...(body === undefined
      ? {}
      : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  });
const retryTest = async () => {
  const res = await send("POST", "/api/v4/projects/1/jobs/2/retry");
  return ((await res.json()) as { id: number }).id;
};

describe("the admin API's job scripts", () => {
  it("adds, lists and removes scripts, and plays a queued job on the clock", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    await send("POST", "/-/buildsim/admin/clock/freeze");
    const added = await send("POST", "/-/buildsim/admin/scripts", {
      scripts: [{ id: "slow-test", name: "test", duration: "10s", trace: "ok\n" }],
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({
      scripts: [{ id: "slow-test", name: "test", duration: "10s", trace: "ok\n", plays: 0 }],
    });
    const id = await retryTest();
    expect(
      ((await (await send("GET", `/api/v4/projects/1/jobs/${id}`)).json()) as { status: string }).status,
    ).toBe("running");
    await send("POST", "/-/buildsim/admin/clock/advance", { by: 10_000 });
    const done = (await (await send("GET", `/api/v4/projects/1/jobs/${id}`)).json()) as Record<
      string,
      unknown
    >;
    expect(done).toMatchObject({ status: "success", duration: 10 });
    expect(await (await send("GET", "/-/buildsim/admin/scripts")).json()).toMatchObject({
      scripts: [{ id: "slow-test", plays: 1 }],
    });
    expect((await send("DELETE", "/-/buildsim/admin/scripts/slow-test")).status).toBe(204);
    const missing = await send("DELETE", "/-/buildsim/admin/scripts/slow-test");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "404 Script Not Found" });
  });

  // Grape's 400 for a bad parameter, naming it; nothing added.
  it("answers 400 naming the field of a bad script, and adds none of the list", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    const res = await send("POST", "/-/buildsim/admin/scripts", {
      scripts: [{ name: "ok" }, { name: "bad", failureReason: "gremlins" }],
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^scripts\.1\.failureReason is invalid/);
    expect(await (await send("GET", "/-/buildsim/admin/scripts")).json()).toEqual({ scripts: [] });
  });
});

describe("the admin API's job steps", () => {
  it("starts, logs to, attaches artifacts to and finishes a job", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    const id = await retryTest();
    const base = `/-/buildsim/admin/jobs/${id}`;
    expect(await (await send("POST", `${base}/start`)).json()).toMatchObject({ id, status: "running" });
    expect(await (await send("POST", `${base}/trace`, { text: "hello\n" })).json()).toMatchObject({
      traceBytes: 6,
    });
    expect((await send("POST", `${base}/artifacts`, { files: { "a.txt": "A" } })).status).toBe(200);
    expect(await (await send("POST", `${base}/finish`, { exitCode: 0 })).json()).toMatchObject({
      status: "success",
      failureReason: null,
    });
    const file = await send("GET", `/api/v4/projects/1/jobs/${id}/artifacts/a.txt`);
    expect(await file.text()).toBe("A");
  });

  it("answers 404 for a job that is not there and 400 for a step the build machine refuses", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    const missing = await send("POST", "/-/buildsim/admin/jobs/999/start");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "404 Job Not Found" });
    const refused = await send("POST", "/-/buildsim/admin/jobs/1/start");
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error:
        'Cannot transition status via :run from :success (Reason(s): Status cannot transition via "run")',
    });
    const noText = await send("POST", "/-/buildsim/admin/jobs/4/trace", {});
    expect(await noText.json()).toEqual({ error: "text is missing" });
  });
});
