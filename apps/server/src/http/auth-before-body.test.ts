// Non-upload routes check the caller before they read a body: a token that names nobody is 401 at once,
// a request with no token in its headers or query may send only a small body (`maxAnonymousBodyBytes`),
// and a body past a limit is 413 with GitLab's body ("413 Request Entity Too Large", as for
// `file_too_large!` in lib/api/helpers.rb) without being read. GitLab authenticates from headers first
// (lib/api/api_guard.rb, `find_user_from_sources`); real sockets, real server.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../test-support/jobs-v4-seed.js";
import { partialRequest } from "../test-support/partial-request.js";
import { startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

const MiB = 1024 * 1024;
const json = { "Content-Type": "application/json" };
const retry = () => `${server.url}/api/v4/projects/1/jobs/2/retry`;

describe("bodies of requests without a token", () => {
  it("refuses a declared 900 KiB body with 413 before reading it", async () => {
    const r = await partialRequest(retry(), {
      headers: json,
      sendBytes: 64 * 1024,
      declaredBytes: 900 * 1024,
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ message: "413 Request Entity Too Large" });
    expect(r.sentWhenAnswered).toBeLessThan(900 * 1024);
  });

  it("stops reading a chunked body at the anonymous limit and answers 413", async () => {
    const r = await partialRequest(retry(), { headers: json, sendBytes: 8 * MiB });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ message: "413 Request Entity Too Large" });
    expect(r.sentWhenAnswered).toBeLessThan(8 * MiB);
    expect(server.store.builds.get(2)?.retried).toBe(false);
  });

  it("still takes a private_token carried by a small form body", async () => {
    const res = await fetch(retry(), {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `private_token=${V4_TOKENS.master}`,
    });
    expect(res.status).toBe(201);
  });
});

describe("bodies of requests with a token", () => {
  it("answers a token that names nobody with 401 before reading a declared 900 KiB body", async () => {
    const r = await partialRequest(retry(), {
      headers: { ...json, "PRIVATE-TOKEN": "nope" },
      sendBytes: 64 * 1024,
      declaredBytes: 900 * 1024,
    });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toEqual({ message: "401 Unauthorized" });
    expect(r.sentWhenAnswered).toBeLessThan(900 * 1024);
  });

  it("answers an unknown JOB-TOKEN with 401 the same way", async () => {
    const r = await partialRequest(retry(), {
      headers: { ...json, "JOB-TOKEN": "nope" },
      sendBytes: 64 * 1024,
      declaredBytes: 900 * 1024,
    });
    expect(r.status).toBe(401);
  });

  it("reads a valid caller's body up to maxBodyBytes, and 413 past it unread", async () => {
    const body = JSON.stringify({ pad: "x".repeat(300 * 1024) });
    const ok = await fetch(retry(), {
      method: "POST",
      headers: { ...json, "PRIVATE-TOKEN": V4_TOKENS.master },
      body,
    });
    expect(ok.status).toBe(201);
    const r = await partialRequest(retry(), {
      headers: { ...json, "PRIVATE-TOKEN": V4_TOKENS.master },
      sendBytes: 64 * 1024,
      declaredBytes: 2 * MiB,
    });
    expect(r.status).toBe(413);
    expect(r.sentWhenAnswered).toBeLessThan(2 * MiB);
  });
});
