// Property-based fuzzing of the HTTP API: fast-check drives random methods, paths, query strings,
// headers and bodies at a real server process on loopback. Every answer must be below 500 and, when
// an error, in GitLab's JSON format; the process must survive with bounded memory and still answer.

import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { E2E_TOKENS, e2eSeed } from "../test-support/e2e-seed.js";
import {
  isAlive,
  killAll,
  type ServerProcess,
  startServerProcess,
  tempDir,
} from "../test-support/processes.js";
import { isGitLabError, type RawCase, recordFigures, rssMiB, sendRaw } from "./fuzz-support.js";

/** Cases tried at most, and the time they may take (whichever ends first). */
const MAX_CASES = 4000;
const TIME_LIMIT_MS = 60_000;

const PATHS = [
  "/api/v3/projects/{p}/builds",
  "/api/v3/projects/{p}/builds/{b}",
  "/api/v3/projects/{p}/builds/{b}/trace",
  "/api/v3/projects/{p}/builds/{b}/artifacts",
  "/api/v3/projects/{p}/builds/{b}/{action}",
  "/api/v3/projects/{p}/builds/{b}/artifacts/keep",
  "/api/v3/projects/{p}/repository/commits/{s}/builds",
  "/api/v3/projects/{p}/builds/artifacts/{s}/download",
  "/api/v4/projects/{p}",
  "/api/v4/projects/{p}/jobs",
  "/api/v4/projects/{p}/jobs/{b}",
  "/api/v4/projects/{p}/jobs/{b}/trace",
  "/api/v4/projects/{p}/jobs/{b}/artifacts",
  "/api/v4/projects/{p}/jobs/{b}/artifacts/{s}",
  "/api/v4/projects/{p}/jobs/{b}/{action}",
  "/api/v4/projects/{p}/jobs/artifacts/{s}/download",
  "/api/v4/projects/{p}/pipelines",
  "/api/v4/projects/{p}/pipelines/{b}",
  "/api/v4/projects/{p}/pipelines/{b}/jobs",
  "/api/v4/projects/{p}/pipeline",
  "/api/v4/jobs/{b}/artifacts",
  "/api/v4/runners",
  "/api/v4/runners/verify",
  "/api/v4/user",
  "/api/v4/version",
  "/{s}",
];

const segment = fc.oneof(
  fc.constantFrom(
    "1",
    "2",
    "e2e%2Fapp",
    "E2E%2FAPP",
    "0",
    "-1",
    "99999999999999999999",
    "%ZZ",
    "..%2F..",
    "%00",
  ),
  fc.nat().map(String),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: "binary", maxLength: 20 }).map(encodeURIComponent),
);
const action = fc.constantFrom("cancel", "retry", "erase", "play", "bogus");
const target = fc
  .record({
    template: fc.constantFrom(...PATHS),
    p: segment,
    b: segment,
    s: segment,
    action,
  })
  .map(({ template, p, b, s, action: a }) =>
    template.replace("{p}", p).replace("{b}", b).replace("{s}", s).replace("{action}", a),
  );

const queryKey = fc.oneof(
  fc.constantFrom(
    "scope",
    "scope[]",
    "scope[__proto__]",
    "__proto__[x]",
    "constructor[prototype][x]",
    "page",
    "per_page",
    "sudo",
    "private_token",
    "access_token",
    "ref",
    "status",
    "order_by",
    "sort",
    "offset",
    `a${"[x]".repeat(40)}`,
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const queryValue = fc.oneof(
  fc.constantFrom("1", "0", "-1", "pending", "running", "success", "failed", "%ZZ", "", "9".repeat(30)),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
);
const query = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 6 })
  .map((pairs) => (pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`));

const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);
const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 4 }).map((j) => ({ type: "application/json", bytes: Buffer.from(j) })),
  fc
    .integer({ min: 90, max: 5000 })
    .map((n) => ({ type: "application/json", bytes: Buffer.from(nested(n, "[", "]")) })),
  fc.integer({ min: 90, max: 3000 }).map((n) => ({
    type: "application/json",
    bytes: Buffer.from(`${'{"a":'.repeat(n)}1${"}".repeat(n)}`),
  })),
  fc
    .string({ maxLength: 200 })
    .map((s) => ({ type: "application/x-www-form-urlencoded", bytes: Buffer.from(s) })),
  fc
    .tuple(
      fc.constantFrom("application/json", "application/zip", "text/plain", "", "multipart/form-data"),
      fc.uint8Array({ maxLength: 300 }),
    )
    .map(([type, bytes]) => ({ type, bytes: Buffer.from(bytes) })),
);
const headers = fc
  .record({
    token: fc.constantFrom(E2E_TOKENS.admin, "wrong", "", undefined),
    bearer: fc.boolean(),
    sudo: fc.option(fc.constantFrom("root", "1", "nobody", ""), { nil: undefined }),
    jobToken: fc.option(
      fc.string({ maxLength: 20 }).filter((s) => /^[\x21-\x7e]*$/.test(s)),
      { nil: undefined },
    ),
  })
  .map(({ token, bearer, sudo, jobToken }) => {
    const h: Record<string, string> = {};
    if (token !== undefined) {
      if (bearer) h.Authorization = `Bearer ${token}`;
      else h["PRIVATE-TOKEN"] = token;
    }
    if (sudo !== undefined) h.SUDO = sudo;
    if (jobToken !== undefined) h["JOB-TOKEN"] = jobToken;
    return h;
  });

const rawCase: fc.Arbitrary<RawCase> = fc
  .record({
    method: fc.constantFrom("GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"),
    target,
    query,
    headers,
    body,
  })
  .map(({ method, target: t, query: q, headers: h, body: b }) => ({
    method,
    target: `${t}${q}`,
    headers: b ? { ...h, "Content-Type": b.type } : h,
    body: b?.bytes,
  }));

let server: ServerProcess;
let data: { dir: string; remove: () => void };
beforeAll(async () => {
  data = tempDir("buildsim-fuzz-http-");
  server = await startServerProcess({
    dataDir: data.dir,
    port: 0,
    seed: e2eSeed(["echo fuzz"]),
    heartbeatTimeoutMs: 60_000,
  });
});
afterAll(() => {
  killAll();
  data.remove();
});

describe("the HTTP API under random requests", () => {
  it("never answers 5xx, answers errors in GitLab's format, keeps its memory bounded and keeps serving", async () => {
    const pid = server.child.pid!;
    // Warm up (JIT, SQLite caches) so the RSS bound measures growth, not start-up.
    for (let i = 0; i < 50; i++)
      await sendRaw(server.url, {
        method: "GET",
        target: "/api/v4/projects/1/jobs",
        headers: { "PRIVATE-TOKEN": E2E_TOKENS.admin },
      });
    const rssBefore = rssMiB(pid);
    let requests = 0;
    let serverErrors = 0;
    let notGitLab = 0;
    const failures: string[] = [];
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(rawCase, async (c) => {
        const answer = await sendRaw(server.url, c);
        requests++;
        if (answer.status >= 500 || answer.status === 0) serverErrors++;
        const badFormat =
          answer.status >= 400 && c.method !== "HEAD" && !isGitLabError(answer.text, answer.status);
        if (badFormat) notGitLab++;
        if (answer.status >= 500 || answer.status === 0 || badFormat)
          failures.push(`${c.method} ${c.target} → ${answer.status} ${answer.text.slice(0, 200)}`);
        return answer.status > 0 && answer.status < 500 && !badFormat;
      }),
      { numRuns: MAX_CASES, interruptAfterTimeLimit: TIME_LIMIT_MS, seed: 1313 },
    );
    const elapsedS = Math.round((Date.now() - started) / 100) / 10;
    const alive = isAlive(pid);
    const after = await sendRaw(server.url, {
      method: "GET",
      target: "/api/v4/version",
      headers: { "PRIVATE-TOKEN": E2E_TOKENS.admin },
    });
    const rssAfter = rssMiB(pid);
    recordFigures("http", {
      requests,
      serverErrors,
      notGitLab,
      crashes: alive ? 0 : 1,
      rssBeforeMiB: rssBefore,
      rssAfterMiB: rssAfter,
      seconds: elapsedS,
    });
    expect(failures).toEqual([]);
    expect(alive).toBe(true);
    expect(after.status).toBe(200);
    expect(rssAfter - rssBefore).toBeLessThan(150);
  }, 120_000);
});
