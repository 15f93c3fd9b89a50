// The clock control over HTTP (/-/buildsim/admin/clock): the handle's clock for tests in any language.
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
const post = (path: string, body?: unknown, token: string = ROOT) =>
  api(server!, `/-/buildsim/admin/clock${path}`, {
    method: "POST",
    token,
    ...(body === undefined
      ? {}
      : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  });

describe("the admin API's clock", () => {
  it("freezes, advances, sets and unfreezes the server's time, answering where it stands", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    const now = await api(server, "/-/buildsim/admin/clock", { token: ROOT });
    expect(await now.json()).toEqual({ now: "2026-01-01T00:00:00.000Z", frozen: false });
    expect(await (await post("/freeze", { at: "2026-01-01T00:05:00+00:00" })).json()).toEqual({
      now: "2026-01-01T00:05:00.000Z",
      frozen: true,
    });
    expect(await (await post("/advance", { by: "1h 30m" })).json()).toEqual({
      now: "2026-01-01T01:35:00.000Z",
      frozen: true,
    });
    expect(await (await post("/advance", { by: 250 })).json()).toMatchObject({
      now: "2026-01-01T01:35:00.250Z",
    });
    expect(await (await post("/set", { at: Date.parse("2026-06-01T00:00:00Z") })).json()).toMatchObject({
      now: "2026-06-01T00:00:00.000Z",
    });
    // The API's answers carry the server's time; the running job, silent for months, was requeued.
    const job = await api(server, "/api/v4/projects/1/jobs/4", { token: ROOT });
    expect(job.headers.get("date")).toBe("Mon, 01 Jun 2026 00:00:00 GMT");
    expect(((await job.json()) as { status: string }).status).toBe("pending");
    expect(await (await post("/unfreeze")).json()).toMatchObject({ frozen: false });
  });

  // Grape's 400 for a bad parameter, `{"error": "…"}`, naming the field; nothing moves.
  it("answers 400 naming the field for bad input and for a time before a running job's start", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    await post("/freeze");
    const cases: Array<[string, unknown, string]> = [
      ["/set", {}, "at is missing"],
      ["/set", { at: "noon" }, "at must be an ISO 8601 time with a time zone"],
      ["/set", { at: "2026-01-01T12:00:00" }, "at must be an ISO 8601 time with a time zone"],
      ["/advance", { by: -1 }, "by must be milliseconds"],
      ["/advance", { by: "soon" }, "by must be milliseconds"],
      ["/advance", { by: 5, ms: 5 }, "ms is not a known field"],
      ["/set", { at: "2025-12-31T00:00:00Z" }, "at is before the start of running job 4"],
    ];
    for (const [path, body, error] of cases) {
      const res = await post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(((await res.json()) as { error: string }).error.startsWith(error)).toBe(true);
    }
    const after = await api(server, "/-/buildsim/admin/clock", { token: ROOT });
    expect(await after.json()).toEqual({ now: "2026-01-01T00:00:00.000Z", frozen: true });
  });

  it("puts the server back on its own time with /clock/real, and is for admins only", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    await post("/set", { at: "2027-01-01T00:00:00Z" });
    expect(await (await post("/real")).json()).toEqual({ now: "2026-01-01T00:00:00.000Z", frozen: false });
    const developer = await post("/advance", { by: 1 }, V4_TOKENS.developer);
    expect(developer.status).toBe(403);
    expect(await developer.json()).toEqual({ message: "403 Forbidden" });
  });
});
