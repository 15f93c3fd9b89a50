// The contract-testing controls on the handle startServer returns: reset to the seed and the request
// journal, against a real server on port 0 with real SQLite and real HTTP requests.

import { afterEach, describe, expect, it } from "vitest";
import { RequestVerificationError } from "../http/request-journal.js";
import type { RunningServer } from "../start-server.js";
import { authMatrixSeed, MATRIX_TOKENS, matrixBuilds } from "../test-support/auth-matrix-seed.js";
import { connectRunner, openRunnerSocket } from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS } from "../test-support/runner-seed.js";
import { startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ADMIN = MATRIX_TOKENS.admin;
const done = matrixBuilds(1).done;

const call = (s: RunningServer, path: string, init: RequestInit & { token?: string } = {}) => {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("PRIVATE-TOKEN", init.token);
  return fetch(`${s.url}${path}`, { ...init, headers });
};

describe("reset", () => {
  it("brings back a job's artifacts and trace that a test erased, byte for byte", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    const artifacts = `/api/v4/projects/1/jobs/${done}/artifacts`;
    const before = Buffer.from(await (await call(server, artifacts, { token: ADMIN })).arrayBuffer());
    expect(before.toString()).toBe("zip of project 1");
    // GitLab's erase: 201, then the job has neither trace nor artifacts (doc/api/jobs.md, "Erase a job").
    const erase = await call(server, `/api/v4/projects/1/jobs/${done}/erase`, {
      method: "POST",
      token: ADMIN,
    });
    expect(erase.status).toBe(201);
    expect((await call(server, artifacts, { token: ADMIN })).status).toBe(404);

    server.reset();

    const after = await call(server, artifacts, { token: ADMIN });
    expect(after.status).toBe(200);
    expect(Buffer.from(await after.arrayBuffer())).toEqual(before);
    const trace = await call(server, `/api/v4/projects/1/jobs/${done}/trace`, { token: ADMIN });
    expect(await trace.text()).toBe("log of project 1\n");
  });

  it("forgets what a test created and keeps the handle's admin and registration tokens working", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    const registered = await call(server, "/api/v4/runners", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: server.registrationToken, description: "made by the test" }),
    });
    expect(registered.status).toBe(201);
    const runnerToken = ((await registered.json()) as { token: string }).token;
    const verifyRunner = () =>
      call(server!, "/api/v4/runners/verify", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token: runnerToken }),
      });
    expect((await verifyRunner()).status).toBe(200);

    server.reset();

    // The runner the test registered is gone: GitLab answers an unknown runner token with 403.
    expect((await verifyRunner()).status).toBe(403);
    expect((await call(server, "/api/v4/user", { token: server.token })).status).toBe(200);
    const again = await call(server, "/api/v4/runners", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: server.registrationToken }),
    });
    expect(again.status).toBe(201);
  });

  it("drops runner links (1001, going away): a seed runner reconnects, one the test registered is refused", async () => {
    server = await startTestServer({ seedText: RUNNER_SEED });
    const seeded = await connectRunner(server, RUNNER_SEED_TOKENS.shared);
    const res = await call(server, "/api/v4/runners", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: server.registrationToken }),
    });
    const { token } = (await res.json()) as { token: string };
    const added = await connectRunner(server, token);

    server.reset();

    expect(await seeded.client.closed).toBe(1001);
    expect(await added.client.closed).toBe(1001);
    const again = await connectRunner(server, RUNNER_SEED_TOKENS.shared);
    expect(again.welcome.type).toBe("welcome");
    again.client.socket.close();
    const refused = await openRunnerSocket(server);
    refused.send({ type: "hello", protocol: again.welcome.protocol, token, name: "gone" });
    expect(await refused.closed).toBe(4401);
  });

  it("empties the request journal", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    await call(server, "/api/v4/user", { token: ADMIN });
    expect(server.requests.count()).toBe(1);
    server.reset();
    expect(server.requests.all()).toEqual([]);
  });
});

describe("the request journal", () => {
  it("records method, path, query, headers with tokens redacted, body, status, size and timing", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    const res = await call(server, `/api/v4/projects/1/jobs/${done}/retry?private_token=${ADMIN}&x=1`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: "a=b" },
      body: JSON.stringify({ note: "again", private_token: ADMIN }),
    });
    const text = await res.text();
    const [entry] = server.requests.all();
    expect(entry).toMatchObject({
      method: "POST",
      path: `/api/v4/projects/1/jobs/${done}/retry`,
      query: { private_token: "[REDACTED]", x: "1" },
      headers: { "content-type": "application/json", cookie: "[REDACTED]" },
      body: JSON.stringify({ note: "again", private_token: "[REDACTED]" }),
      bodyTruncated: false,
      status: res.status,
      responseBytes: Buffer.byteLength(text),
    });
    expect(JSON.stringify(entry)).not.toContain(ADMIN);
    expect(entry!.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(entry!.startedAt)).not.toBeNaN();
    // GitLab refuses these before reading the body (401); the journal still never shows the tokens.
    await call(server, "/api/v4/user", { headers: { "JOB-TOKEN": "job-secret" } });
    await call(server, "/api/v4/user", { headers: { Authorization: "Bearer oauth-secret" } });
    await call(server, "/api/v4/user", { headers: { "PRIVATE-TOKEN": "private-secret" } });
    const later = server.requests.find({ path: "/api/v4/user" });
    expect(
      later.map((e) => [
        e.status,
        e.headers["job-token"] ?? e.headers.authorization ?? e.headers["private-token"],
      ]),
    ).toEqual([
      [401, "[REDACTED]"],
      [401, "[REDACTED]"],
      [401, "[REDACTED]"],
    ]);
    expect(JSON.stringify(later)).not.toMatch(/secret/);
  });

  it("keeps only the newest requests and the first bytes of a body, saying what it dropped", async () => {
    server = await startTestServer({
      seedText: authMatrixSeed(),
      controls: { journal: { maxEntries: 3, maxBodyBytes: 4 } },
    });
    for (let i = 1; i <= 5; i++)
      await call(server, `/api/v4/projects/1/jobs?page=${i}`, {
        method: "GET",
        token: ADMIN,
      });
    await call(server, "/api/v4/runners/verify", { method: "POST", body: "token=abcdefgh" });
    const entries = server.requests.all();
    expect(entries.map((e) => e.query.page ?? e.path)).toEqual(["4", "5", "/api/v4/runners/verify"]);
    expect(server.requests.dropped).toBe(3);
    expect(entries[2]).toMatchObject({ bodyBytes: 14, bodyTruncated: true, body: "toke" });
  });

  it("filters by method, path template, query, header and body field", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    await call(server, "/api/v4/projects/1/jobs?scope=success", {
      token: ADMIN,
      headers: { "X-Trace": "1" },
    });
    await call(server, `/api/v4/projects/1/jobs/${done}/retry`, {
      method: "POST",
      token: ADMIN,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ reason: "flaky" }),
    });
    const paths = (m: Parameters<RunningServer["requests"]["find"]>[0]) =>
      server!.requests.find(m).map((e) => `${e.method} ${e.path}`);
    expect(paths({ method: "post" })).toEqual([`POST /api/v4/projects/1/jobs/${done}/retry`]);
    expect(paths({ path: "/api/v4/projects/:id/jobs/*" })).toEqual([
      `POST /api/v4/projects/1/jobs/${done}/retry`,
    ]);
    expect(paths({ pathPattern: "/jobs$" })).toEqual(["GET /api/v4/projects/1/jobs"]);
    expect(paths({ query: { scope: "success" } })).toEqual(["GET /api/v4/projects/1/jobs"]);
    expect(paths({ headers: { "x-TRACE": "1" } })).toEqual(["GET /api/v4/projects/1/jobs"]);
    expect(paths({ bodyFields: { reason: "flaky" } })).toHaveLength(1);
    expect(paths({ bodyContains: "flak", status: 201 })).toHaveLength(1);
  });

  it("verifies a count, and on a wrong one throws a diff naming the fields that differ", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    await call(server, "/api/v4/projects/1/jobs", { token: ADMIN });
    server.requests.verify(1, { method: "GET", path: "/api/v4/projects/:id/jobs" });
    server.requests.verify({ atMost: 0 }, { method: "DELETE" });
    let error: unknown;
    try {
      server.requests.verify(1, { method: "POST", path: "/api/v4/projects/:id/jobs" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RequestVerificationError);
    expect((error as Error).message).toBe(
      [
        'Expected exactly 1 request(s) matching {"method":"POST","path":"/api/v4/projects/:id/jobs"}, but 0 matched.',
        "Closest other requests:",
        "  GET /api/v4/projects/1/jobs → 200",
        "    method: wanted POST, got GET",
      ].join("\n"),
    );
  });

  it("refuses a malformed matcher, naming the field, and records nothing for it", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    const journal = server.requests;
    expect(() => journal.find({ methd: "GET" } as never)).toThrow(/^matcher\.methd is not a known field/);
    expect(() => journal.find({ pathPattern: "(" })).toThrow(
      /^matcher\.pathPattern is not a valid regular expression/,
    );
    expect(() => journal.verify(-1, {})).toThrow(/^count/);
  });
});
