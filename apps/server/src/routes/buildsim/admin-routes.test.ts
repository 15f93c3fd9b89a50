// The admin API (/-/buildsim/admin/): the same controls as the handle's, over HTTP, for admins only.
// Every response goes through api(), which checks it against the server's OpenAPI document.

import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { authMatrixSeed, MATRIX_TOKENS, matrixBuilds } from "../../test-support/auth-matrix-seed.js";
import { connectRunner } from "../../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS } from "../../test-support/runner-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ADMIN = MATRIX_TOKENS.admin;
const done = matrixBuilds(1).done;
const post = (path: string, body: unknown, token: string | null = ADMIN) =>
  api(server!, path, {
    method: "POST",
    token,
    headers: { "Content-Type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** A server whose journal is empty (api() fetches the OpenAPI document once, which is journaled). */
async function startWithEmptyJournal(): Promise<RunningServer> {
  server = await startTestServer({ seedText: authMatrixSeed() });
  // Twice: the first DELETE's check fetches the document after the DELETE was answered.
  for (let i = 0; i < 2; i++) {
    const deleted = await api(server, "/-/buildsim/admin/requests", { method: "DELETE", token: ADMIN });
    expect(deleted.status).toBe(204);
  }
  return server;
}

describe("the admin API's access", () => {
  // GitLab's own answers for a missing/invalid token and a non-admin (lib/api/helpers.rb,
  // `unauthorized!` and `forbidden!`): 401 {"message":"401 Unauthorized"}, 403 {"message":"403 Forbidden"}.
  it("answers 401 without a valid token and 403 to a user who is not an admin", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    const anonymous = await post("/-/buildsim/admin/reset", {}, null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: "401 Unauthorized" });
    const wrong = await post("/-/buildsim/admin/reset", {}, "nobody's token");
    expect(wrong.status).toBe(401);
    const master = await api(server, "/-/buildsim/admin/requests", { token: MATRIX_TOKENS.master });
    expect(master.status).toBe(403);
    expect(await master.json()).toEqual({ message: "403 Forbidden" });
  });

  it("never journals its own requests", async () => {
    server = await startWithEmptyJournal();
    await api(server, "/api/v4/user", { token: ADMIN });
    await post("/-/buildsim/admin/requests/count", {});
    const res = await api(server, "/-/buildsim/admin/requests", { token: ADMIN });
    const { requests } = (await res.json()) as { requests: Array<{ path: string }> };
    expect(requests.map((r) => r.path)).toEqual(["/api/v4/user"]);
  });
});

describe("POST /-/buildsim/admin/reset", () => {
  it("answers 204 and puts back a job a test erased", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    const job = `/api/v4/projects/1/jobs/${done}`;
    expect((await api(server, `${job}/erase`, { method: "POST", token: ADMIN })).status).toBe(201);
    expect(
      ((await (await api(server, job, { token: ADMIN })).json()) as { erased_at: unknown }).erased_at,
    ).not.toBeNull();
    const reset = await post("/-/buildsim/admin/reset", {});
    expect(reset.status).toBe(204);
    expect(await reset.text()).toBe("");
    const after = (await (await api(server, job, { token: ADMIN })).json()) as { erased_at: unknown };
    expect(after.erased_at).toBeNull();
  });
});

describe("the journal over HTTP", () => {
  it("finds, counts and verifies requests, and DELETE empties it", async () => {
    server = await startWithEmptyJournal();
    await api(server, "/api/v4/projects/1/jobs?scope=success", { token: ADMIN });
    await api(server, `/api/v4/projects/1/jobs/${done}`, { token: ADMIN });

    const found = await post("/-/buildsim/admin/requests/find", {
      path: "/api/v4/projects/:id/jobs/:job_id",
    });
    expect(found.status).toBe(200);
    const { requests } = (await found.json()) as { requests: Array<{ path: string; status: number }> };
    expect(requests).toMatchObject([{ path: `/api/v4/projects/1/jobs/${done}`, status: 200 }]);

    const count = await post("/-/buildsim/admin/requests/count", { method: "GET" });
    expect(await count.json()).toEqual({ count: 2 });

    const verified = await post("/-/buildsim/admin/requests/verify", {
      count: 1,
      matcher: { query: { scope: "success" } },
    });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ matched: 1 });

    const deleted = await api(server, "/-/buildsim/admin/requests", { method: "DELETE", token: ADMIN });
    expect(deleted.status).toBe(204);
    expect(await (await post("/-/buildsim/admin/requests/count", {})).json()).toEqual({ count: 0 });
  });

  it("answers a failed verify with 409 and the diff", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    await api(server, "/api/v4/projects/1/jobs", { token: ADMIN });
    const res = await post("/-/buildsim/admin/requests/verify", {
      count: { atLeast: 1 },
      matcher: { method: "POST", path: "/api/v4/projects/:id/jobs" },
    });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { message: string; matched: number };
    expect(body.matched).toBe(0);
    expect(body.message).toContain("Expected at least 1 request(s)");
    expect(body.message).toContain("    method: wanted POST, got GET");
  });

  it("answers bad input with 400 naming the field", async () => {
    server = await startTestServer({ seedText: authMatrixSeed() });
    const cases: Array<[string, unknown, RegExp]> = [
      [
        "/-/buildsim/admin/requests/find",
        { method: "GET", paht: "/x" },
        /^matcher\.paht is not a known field/,
      ],
      ["/-/buildsim/admin/requests/count", { headers: { a: 1 } }, /^matcher\.headers\.a is invalid/],
      [
        "/-/buildsim/admin/requests/find",
        { pathPattern: "[" },
        /^matcher\.pathPattern is not a valid regular expression/,
      ],
      ["/-/buildsim/admin/requests/verify", { matcher: {} }, /^count is missing/],
      ["/-/buildsim/admin/requests/verify", { count: 1, matchr: {} }, /^matchr is not a known field/],
      ["/-/buildsim/admin/requests/verify", { count: "two" }, /^count is invalid/],
      ["/-/buildsim/admin/requests/find", "{not json", /^The request body is not valid JSON/],
    ];
    for (const [path, body, error] of cases) {
      const res = await post(path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(error);
    }
  });
});

describe("fault rules over HTTP", () => {
  /** A faulted answer is not in the OpenAPI document, so these go around api()'s check. */
  const user = () => fetch(`${server!.url}/api/v4/user`, { headers: { "PRIVATE-TOKEN": ADMIN } });
  /** The server, with api()'s OpenAPI checker fetched before any rule could break that fetch. */
  const startWarm = async (): Promise<RunningServer> => {
    const started = await startTestServer({ seedText: authMatrixSeed() });
    await api(started, "/api/v4/version", { token: ADMIN });
    return started;
  };

  it("adds a rule (201), lists it, breaks the matching request and counts the hit", async () => {
    server = await startWarm();
    const added = await post("/-/buildsim/admin/faults", {
      match: { method: "GET", path: "/api/v4/user" },
      times: 2,
      effect: { type: "error", status: 502 },
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({
      rules: [
        {
          id: "fault-1",
          match: { method: "GET", path: "/api/v4/user" },
          times: 2,
          remaining: 2,
          hits: 0,
          effect: { type: "error", status: 502 },
        },
      ],
    });
    expect((await user()).status).toBe(502);
    const listed = await api(server, "/-/buildsim/admin/faults", { token: ADMIN });
    expect(await listed.json()).toMatchObject({ rules: [{ id: "fault-1", hits: 1, remaining: 1 }] });
  });

  it("never breaks the admin API itself, so a rule matching everything can still be removed", async () => {
    server = await startWarm();
    await post("/-/buildsim/admin/faults", { id: "all", effect: { type: "error", status: 500 } });
    expect((await user()).status).toBe(500);
    const missing = await api(server, "/-/buildsim/admin/faults/none", { method: "DELETE", token: ADMIN });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "404 Fault Not Found" });
    expect(
      (await api(server, "/-/buildsim/admin/faults/all", { method: "DELETE", token: ADMIN })).status,
    ).toBe(204);
    expect((await user()).status).toBe(200);
  });

  it("adds none of a list with a bad rule in it, naming the bad rule's field", async () => {
    server = await startWarm();
    const res = await post("/-/buildsim/admin/faults", {
      rules: [{ effect: { type: "error", status: 500 } }, { effect: { type: "rate-limit", retryAfter: 5 } }],
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /^rules\.1\.effect\.retryAfter is not a known field/,
    );
    const unknown = await post("/-/buildsim/admin/faults", {
      effect: { type: "error", status: 500 },
      tiems: 1,
    });
    expect(((await unknown.json()) as { error: string }).error).toMatch(/^rule\.tiems is not a known field/);
    const listed = await api(server, "/-/buildsim/admin/faults", { token: ADMIN });
    expect(await listed.json()).toEqual({ rules: [] });
    await post("/-/buildsim/admin/faults", { rules: [{ effect: { type: "delay", ms: 1 } }] });
    expect((await api(server, "/-/buildsim/admin/faults", { method: "DELETE", token: ADMIN })).status).toBe(
      204,
    );
    expect(await (await api(server, "/-/buildsim/admin/faults", { token: ADMIN })).json()).toEqual({
      rules: [],
    });
  });
});

describe("WebSocket link fault rules over HTTP", () => {
  it("adds a rule for runner links with `on`, lists it, and refuses the runner's next claim", async () => {
    server = await startTestServer({ seedText: RUNNER_SEED });
    const token = RUNNER_SEED_TOKENS.admin;
    const added = await api(server, "/-/buildsim/admin/faults", {
      method: "POST",
      token,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ id: "no-jobs", on: "runner", times: 1, effect: { type: "refuse-claim" } }),
    });
    expect(added.status).toBe(201);
    const listed = await api(server, "/-/buildsim/admin/faults", { token });
    expect(await listed.json()).toEqual({
      rules: [
        { id: "no-jobs", on: "runner", times: 1, effect: { type: "refuse-claim" }, hits: 0, remaining: 1 },
      ],
    });
    const { client } = await connectRunner(server, RUNNER_SEED_TOKENS.shared);
    client.send({ type: "claim", requestId: "r1", waitMs: 0 });
    expect(await client.nextOf("noJob")).toEqual({ type: "noJob", requestId: "r1" });
    client.send({ type: "claim", requestId: "r2", waitMs: 0 });
    expect((await client.nextOf("job")).requestId).toBe("r2");
    await client.close();
  });

  it("answers 400 naming the field when a link rule's match does not fit its link", async () => {
    server = await startTestServer({ seedText: RUNNER_SEED });
    const res = await api(server, "/-/buildsim/admin/faults", {
      method: "POST",
      token: RUNNER_SEED_TOKENS.admin,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ on: "watcher", match: { message: "claim" }, effect: { type: "drop" } }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "rule.match of a watcher link takes only build" });
  });
});
