// Fault rules on the handle (server.faults) against a real server and real HTTP: GitLab-shaped failure
// presets, delays, connections dropped before or after the headers, cut bodies, and rules that match
// by header, query or body field, for a number of requests or a share of them.

import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { authMatrixSeed, MATRIX_TOKENS, matrixBuilds } from "../test-support/auth-matrix-seed.js";
import { startTestServer } from "../test-support/start-test-server.js";
import { FaultPlan } from "./fault-plan.js";
import { delayMsOf } from "./fault-replies.js";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ADMIN = MATRIX_TOKENS.admin;
const done = matrixBuilds(1).done;
const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server!.url}${path}`, { headers: { "PRIVATE-TOKEN": ADMIN, ...headers } });

/** A GET seen at the socket: status, headers, the body bytes that arrived and whether all did. */
function rawGet(
  path: string,
): Promise<{ status: number; length: number; received: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server!.url}${path}`, { headers: { "PRIVATE-TOKEN": ADMIN } }, (res) => {
      let received = 0;
      res.on("data", (c: Buffer) => {
        received += c.byteLength;
      });
      res.on("error", () => {});
      res.on("close", () =>
        resolve({
          status: res.statusCode ?? 0,
          length: Number(res.headers["content-length"]),
          received,
          complete: res.complete,
        }),
      );
    });
    req.on("error", reject);
    req.end();
  });
}

describe("status presets", () => {
  // GitLab's Rack::Attack throttle: 429 `Retry later` with Retry-After and RateLimit-* headers
  // (https://docs.gitlab.com/ee/administration/settings/user_and_ip_rate_limits.html#response-headers).
  it("answers 429 as GitLab's rate limiter does, for the next request only", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    server.faults.add({
      match: { method: "GET", path: "/api/v4/user" },
      times: 1,
      effect: { type: "rate-limit", retryAfterSeconds: 7 },
    });
    const limited = await get("/api/v4/user");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toBe("text/plain");
    expect(await limited.text()).toBe("Retry later\n");
    expect(limited.headers.get("retry-after")).toBe("7");
    expect(limited.headers.get("ratelimit-name")).toBe("throttle_authenticated_api");
    expect(limited.headers.get("ratelimit-limit")).toBe("600");
    expect(limited.headers.get("ratelimit-observed")).toBe("601");
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");
    // The reset is 7 s after the server's time (the test server's clock stands at 2026-01-01T00:00:00Z).
    expect(limited.headers.get("date")).toBe("Thu, 01 Jan 2026 00:00:00 GMT");
    expect(limited.headers.get("ratelimit-reset")).toBe(String(Date.parse("2026-01-01T00:00:07Z") / 1000));
    expect(limited.headers.get("ratelimit-resettime")).toBe("Thu, 01 Jan 2026 00:00:07 GMT");
    expect((await get("/api/v4/user")).status).toBe(200);
    expect(server.faults.list()).toEqual([]);
  });

  it("answers GitLab's 500, Workhorse's 502 and the proxy's 503, and the route never runs", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    const retry = `/api/v4/projects/1/jobs/${done}/retry`;
    server.faults.add([
      { match: { method: "POST", path: retry }, times: 1, effect: { type: "error", status: 500 } },
      { match: { method: "POST", path: retry }, times: 1, effect: { type: "error", status: 502 } },
      { match: { method: "POST", path: retry }, times: 1, effect: { type: "error", status: 503 } },
    ]);
    const post = () =>
      fetch(`${server!.url}${retry}`, { method: "POST", headers: { "PRIVATE-TOKEN": ADMIN } });
    const internal = await post();
    expect(internal.status).toBe(500);
    expect(await internal.text()).toBe('{"message":"500 Internal Server Error"}');
    const badGateway = await post();
    expect([badGateway.status, badGateway.headers.get("content-type"), await badGateway.text()]).toEqual([
      502,
      "text/plain; charset=utf-8",
      "GitLab is not responding",
    ]);
    const unavailable = await post();
    expect(unavailable.status).toBe(503);
    expect(await unavailable.text()).toContain("<title>GitLab is not responding (503)</title>");
    // None of the three retried the job: the project still has its three seeded jobs.
    const jobs = (await (await get("/api/v4/projects/1/jobs")).json()) as unknown[];
    expect(jobs).toHaveLength(3);
    expect(server.requests.find({ path: retry }).map((e) => [e.status, e.fault])).toEqual([
      [500, "fault-1"],
      [502, "fault-2"],
      [503, "fault-3"],
    ]);
  });
});

describe("delays and broken connections", () => {
  it("answers late by a fixed delay, then as usual", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    server.faults.add({ match: { path: "/api/v4/user" }, times: 1, effect: { type: "delay", ms: 150 } });
    const res = await get("/api/v4/user");
    expect(res.status).toBe(200);
    const [entry] = server.requests.find({ path: "/api/v4/user" });
    expect(entry!.durationMs).toBeGreaterThanOrEqual(150);
    expect(entry!.fault).toBe("fault-1");
  });

  it("serves nothing and logs nothing when the server closes while a delayed request waits", async () => {
    const logged: string[] = [];
    server = await startTestServer({ seedText: authMatrixSeed(), log: (line) => logged.push(line) });
    server.faults.add({ match: { path: "/api/v4/user" }, effect: { type: "delay", ms: 200 } });
    const answer = get("/api/v4/user").then(
      (res) => res.status,
      () => "dropped",
    );
    await new Promise((r) => setTimeout(r, 50));
    const closing = server;
    server = undefined;
    await closing.close();
    expect(await answer).toBe("dropped");
    await new Promise((r) => setTimeout(r, 300));
    expect(logged).toEqual([]);
  });

  it("resets the connection before the headers, without serving the request", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    const retry = `/api/v4/projects/1/jobs/${done}/retry`;
    server.faults.add({
      match: { path: retry },
      times: 1,
      effect: { type: "reset", when: "before-headers" },
    });
    const error = await fetch(`${server.url}${retry}`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": ADMIN },
    }).catch((e: unknown) => e as Error & { cause?: { code?: string } });
    expect(error).toBeInstanceOf(TypeError);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe("ECONNRESET");
    expect((await (await get("/api/v4/projects/1/jobs")).json()) as unknown[]).toHaveLength(3);
    expect(server.requests.find({ path: retry })).toMatchObject([
      { status: 0, responseBytes: 0, fault: "fault-1" },
    ]);
  });

  it("drops the connection after the headers, or after part of the body", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    const path = `/api/v4/projects/1/jobs/${done}`;
    server.faults.add([
      { match: { path }, times: 1, effect: { type: "reset", when: "after-headers" } },
      { match: { path }, times: 1, effect: { type: "truncate", bytes: 12 } },
    ]);
    const headersOnly = await rawGet(path);
    expect(headersOnly).toMatchObject({ status: 200, received: 0, complete: false });
    expect(headersOnly.length).toBeGreaterThan(12);
    const cut = await rawGet(path);
    expect(cut).toMatchObject({ status: 200, received: 12, complete: false, length: headersOnly.length });
    const whole = await rawGet(path);
    expect(whole).toMatchObject({ status: 200, received: headersOnly.length, complete: true });
    expect(server.requests.find({ path }).map((e) => [e.responseBytes, e.fault ?? null])).toEqual([
      [0, "fault-1"],
      [12, "fault-2"],
      [headersOnly.length, null],
    ]);
  });
});

describe("which requests a rule takes", () => {
  it("matches a header, a query parameter or a body field", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    server.faults.add([
      { match: { headers: { "x-break": "yes" } }, effect: { type: "error", status: 500 } },
      { match: { query: { scope: "failed" } }, effect: { type: "error", status: 502 } },
      { match: { method: "POST", bodyFields: { ref: "broken" } }, effect: { type: "error", status: 503 } },
    ]);
    expect((await get("/api/v4/user", { "X-Break": "yes" })).status).toBe(500);
    expect((await get("/api/v4/user")).status).toBe(200);
    expect((await get("/api/v4/projects/1/jobs?scope=failed")).status).toBe(502);
    expect((await get("/api/v4/projects/1/jobs?scope=success")).status).toBe(200);
    const create = (ref: string) =>
      fetch(`${server!.url}/api/v4/projects/1/pipeline`, {
        method: "POST",
        headers: { "PRIVATE-TOKEN": ADMIN, "Content-Type": "application/json" },
        body: JSON.stringify({ ref }),
      });
    expect((await create("broken")).status).toBe(503);
    expect((await create("master")).status).not.toBe(503);
  });

  it("takes a share of the requests when given a percentage", () => {
    let next = 0;
    const draws = [0.1, 0.9, 0.2, 0.8];
    const plan = new FaultPlan(() => draws[next++ % draws.length]!);
    plan.add({ percent: 50, effect: { type: "error", status: 500 } });
    const request = { method: "GET", path: "/", query: {}, headers: {}, body: "", bodyFields: () => ({}) };
    expect([1, 2, 3, 4].map(() => plan.decide(request)?.id ?? null)).toEqual([
      "fault-1",
      null,
      "fault-1",
      null,
    ]);
    expect(plan.list()[0]!.hits).toBe(2);
  });

  it("draws a random delay between its bounds", () => {
    const effect = { type: "delay", minMs: 100, maxMs: 200 } as const;
    expect(delayMsOf(effect, () => 0)).toBe(100);
    expect(delayMsOf(effect, () => 0.999_999)).toBe(200);
  });
});

describe("bad rules", () => {
  it("adds nothing when one rule of a list is bad, and names its field", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    expect(() =>
      server!.faults.add([
        { effect: { type: "error", status: 500 } },
        { effect: { type: "error", status: 504 as 500 } },
      ]),
    ).toThrow(/^rules\.1\.effect\.status is invalid/);
    expect(() =>
      server!.faults.add({ match: { pathPattern: "(" }, effect: { type: "error", status: 500 } }),
    ).toThrow(/^rule\.match\.pathPattern is not a valid regular expression/);
    expect(() => server!.faults.add({ times: 0, effect: { type: "error", status: 500 } })).toThrow(
      /^rule\.times is invalid/,
    );
    expect(server.faults.list()).toEqual([]);
  });

  it("are all gone after a reset", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    server.faults.add({ effect: { type: "error", status: 500 } });
    server.reset();
    expect(server.faults.list()).toEqual([]);
    expect((await get("/api/v4/user")).status).toBe(200);
  });
});
