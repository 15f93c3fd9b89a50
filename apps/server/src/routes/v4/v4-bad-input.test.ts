// Throws malformed ids, params and bodies at every v4 endpoint: GitLab-style 4xx JSON errors, never a
// 500, and nothing logged as unexpected.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { rawRequest } from "../../test-support/raw-request.js";
import { startTestServer } from "../../test-support/start-test-server.js";

const ENDPOINTS: Array<{ method: string; path: string }> = [
  { method: "GET", path: "/projects/{id}" },
  { method: "GET", path: "/projects/{id}/jobs" },
  { method: "GET", path: "/projects/{id}/variables" },
  { method: "POST", path: "/projects/{id}/variables" },
  { method: "GET", path: "/projects/{id}/pipelines" },
  { method: "GET", path: "/projects/{id}/pipelines/{pid}" },
  { method: "GET", path: "/projects/{id}/pipelines/{pid}/jobs" },
  { method: "GET", path: "/projects/{id}/jobs/{jid}" },
  { method: "GET", path: "/projects/{id}/jobs/{jid}/trace" },
  { method: "GET", path: "/projects/{id}/jobs/{jid}/artifacts" },
  { method: "GET", path: "/projects/{id}/jobs/{jid}/artifacts/{file}" },
  { method: "GET", path: "/projects/{id}/jobs/artifacts/{ref}/download" },
  { method: "GET", path: "/projects/{id}/jobs/artifacts/{ref}/raw/{file}" },
  { method: "DELETE", path: "/projects/{id}/jobs/{jid}/artifacts" },
  { method: "POST", path: "/projects/{id}/jobs/{jid}/cancel" },
  { method: "POST", path: "/projects/{id}/jobs/{jid}/retry" },
  { method: "POST", path: "/projects/{id}/jobs/{jid}/erase" },
  { method: "POST", path: "/projects/{id}/jobs/{jid}/play" },
  { method: "POST", path: "/projects/{id}/jobs/{jid}/artifacts/keep" },
];
const DEFAULTS = { id: "1", jid: "1", pid: "1", ref: "master", file: "out/a.txt" };
const BAD = {
  id: ["abc", "0", "-1", "99999999999999999999", "%E2%98%83", "%2F", "acme%2F", "1.5"],
  jid: ["abc", "0", "-1", "1e5", "99999999999999999999", "%E2%98%83", "0x10"],
  pid: ["abc", "0", "-1", "99999999999999999999"],
  ref: ["%E2%98%83", "a/b/c", "..%2F.."],
  file: ["%00", "..", "a/../../b", "%E2%98%83", "x/"],
};
const QUERIES = [
  "scope=bogus",
  "scope[]=",
  "scope[a][b]=x",
  "page=abc",
  "page[]=1",
  "per_page=-1",
  "per_page=99999999999",
  "include_retried=maybe",
  "include_retried[]=1",
  "status=nope",
  "status[]=x",
  "ref[]=x",
  "order_by=drop+table",
  "sort=sideways",
  "job[]=a",
  "job=",
  "private_token[]=x",
  "job_token=",
  "sudo=nobody",
  "all=True&unknown[deep][er]=1",
];
const BODIES = [
  { type: "application/json", body: "{}" },
  { type: "application/json", body: "{" },
  { type: "application/json", body: '{"scope":{"a":["b"]},"job_id":"x"}' },
  { type: "application/x-www-form-urlencoded", body: "scope[]=%ZZ" },
];

let server: RunningServer;
const logged: string[] = [];
beforeAll(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED, log: (l) => logged.push(l) });
});
afterAll(() => server.close());

/** Sends a raw request target (no URL normalization) as root. */
function raw(method: string, target: string, body?: { type: string; body: string | Buffer }) {
  return rawRequest(server.url, V4_TOKENS.root, method, target, body);
}

const fill = (path: string, over: Partial<typeof DEFAULTS>) =>
  `/api/v4${path.replace(/\{(\w+)\}/g, (_, k: keyof typeof DEFAULTS) => over[k] ?? DEFAULTS[k])}`;

function expectGitLabError(r: { status: number; type: string | undefined; text: string }) {
  expect(r.status).toBeLessThan(500);
  // GitLab's HandleMalformedStrings middleware answers a null byte before the API: plain text.
  if (r.status === 400 && r.type === "text/plain") {
    expect(r.text).toBe("Bad Request");
    return;
  }
  if (r.status >= 400) {
    expect(r.type).toBe("application/json");
    const body = JSON.parse(r.text) as Record<string, unknown>;
    expect(typeof (body.message ?? body.error)).toBe("string");
  }
}

describe.each(ENDPOINTS)("$method $path", ({ method, path }) => {
  it("survives malformed ids, refs and artifact paths", async () => {
    for (const key of Object.keys(BAD) as Array<keyof typeof BAD>) {
      if (!path.includes(`{${key}}`)) continue;
      for (const value of BAD[key]) expectGitLabError(await raw(method, fill(path, { [key]: value })));
    }
  });

  it("survives malformed and unknown query params", async () => {
    for (const q of QUERIES) expectGitLabError(await raw(method, `${fill(path, {})}?${q}`));
  });

  it("survives odd bodies", async () => {
    for (const b of BODIES) expectGitLabError(await raw(method, fill(path, {}), b));
  });
});

describe("after everything", () => {
  it("never logged an unexpected error", () => {
    expect(logged).toEqual([]);
  });
});
