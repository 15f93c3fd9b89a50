// Throws malformed ids, params, methods and bodies at every endpoint: no 500, no crash, GitLab-style errors.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { rawRequest } from "../test-support/raw-request.js";
import { api, ROOT_TOKEN, SEED_DOC_FILE, startTestServer } from "../test-support/start-test-server.js";

const SHA = "0ff3ae198f8601a285adcf5c0fff204ee6fba5fd";
const ENDPOINTS: Array<{ method: string; path: string }> = [
  { method: "GET", path: "/projects/{id}/builds" },
  { method: "GET", path: "/projects/{id}/repository/commits/{sha}/builds" },
  { method: "GET", path: "/projects/{id}/builds/{bid}" },
  { method: "GET", path: "/projects/{id}/builds/{bid}/artifacts" },
  { method: "GET", path: "/projects/{id}/builds/{bid}/trace" },
  { method: "GET", path: "/projects/{id}/builds/artifacts/{ref}/download" },
  { method: "POST", path: "/projects/{id}/builds/{bid}/cancel" },
  { method: "POST", path: "/projects/{id}/builds/{bid}/retry" },
  { method: "POST", path: "/projects/{id}/builds/{bid}/erase" },
  { method: "POST", path: "/projects/{id}/builds/{bid}/artifacts/keep" },
  { method: "POST", path: "/projects/{id}/builds/{bid}/play" },
];
const DEFAULTS = { id: "1", bid: "9", sha: SHA, ref: "master" };

const BAD_IDS = [
  "abc",
  "-1",
  "0",
  "99999999999999999999999999",
  "%E2%98%83",
  "%2F",
  "group%2F",
  "%ZZ",
  "1%00",
  "..%2F..%2Fetc",
  "%F0%9F%92%A9%2F%F0%9F%92%A9",
  "1.5",
];
const BAD_BUILD_IDS = [
  "abc",
  "-1",
  "0",
  "1e5",
  "99999999999999999999999999",
  "%E2%98%83",
  "%ZZ",
  "8.0",
  "%208",
  "0x10",
  "9%00",
];
const BAD_SHAS = ["nothex", "0ff3", "%ZZ", "%E2%98%83", "0".repeat(200)];
const BAD_REFS = ["%ZZ", "a/b/c/d", "%E2%98%83", "..%2F.."];
const BAD_QUERIES = [
  "scope=bogus",
  "scope[]=",
  "scope[][]=x",
  "scope[a][b]=x",
  "scope=%ZZ",
  "scope[0]=pending&scope[]=running",
  "scope=pending&scope[]=running",
  "scope[]=pending&scope=running",
  "scope[0]=pending&scope=running",
  "scope=CREATED",
  "scope=%00",
  "page=-1",
  "page=0",
  "page=99999999999999999999999",
  "page=abc",
  "page[]=1",
  "page[x]=1",
  "per_page=-1",
  "per_page=0",
  "per_page=99999999999",
  "per_page=abc",
  "per_page[]=5",
  "job[]=a",
  "job=",
  "job[x]=y",
  "unknown=1&foo[bar]=baz",
  "%E2%98%83=%E2%98%83",
  "private_token[]=x",
  "sudo[]=x",
  "sudo=",
  "sudo=%E2%98%83",
  `${"a[".repeat(100)}=1`,
  "=&&=&a",
  "%",
  "a=%",
  "[]=1",
  "a[=1",
  "a]=1",
];
const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"];
const BODIES: Array<{ type: string; body: string }> = [
  { type: "application/json", body: "{" },
  { type: "application/json", body: "[1,2]" },
  { type: "application/json", body: "{}" },
  { type: "application/json", body: '{"scope":{"a":["b"]},"page":{"x":1},"private_token":5}' },
  { type: "application/json", body: "null" },
  { type: "application/x-www-form-urlencoded", body: "scope[]=%ZZ" },
  { type: "application/x-www-form-urlencoded", body: "scope=bogus&page=x" },
  { type: "text/plain", body: "\u0000\u0001binary" },
];

let server: RunningServer;
const logged: string[] = [];
beforeAll(async () => {
  server = await startTestServer({ seedFile: SEED_DOC_FILE, log: (l) => logged.push(l) });
});
afterAll(() => server.close());

/** Sends a raw request target (no URL normalization) as root. */
function raw(method: string, target: string, body?: { type: string; body: string | Buffer }) {
  return rawRequest(server.url, ROOT_TOKEN, method, target, body);
}

const fill = (path: string, over: Partial<typeof DEFAULTS>) =>
  `/api/v3${path.replace(/\{(\w+)\}/g, (_, k: keyof typeof DEFAULTS) => over[k] ?? DEFAULTS[k])}`;

function expectGitLabError(r: { status: number; type: string | undefined; text: string }, method: string) {
  expect(r.status).toBeLessThan(500);
  // GitLab's HandleMalformedStrings middleware answers a null byte before the API: plain text.
  if (r.status === 400 && r.type === "text/plain") {
    expect(r.text).toBe("Bad Request");
    return;
  }
  if (r.status >= 400 && method !== "HEAD") {
    expect(r.type).toBe("application/json");
    const body = JSON.parse(r.text) as Record<string, unknown>;
    expect(typeof (body.message ?? body.error)).toBe("string");
  }
}

describe.each(ENDPOINTS)("$method $path", ({ method, path }) => {
  it("survives malformed project ids, build ids, shas and refs", async () => {
    const variants = [
      ...BAD_IDS.map((id) => ({ id })),
      ...(path.includes("{bid}") ? BAD_BUILD_IDS.map((bid) => ({ bid })) : []),
      ...(path.includes("{sha}") ? BAD_SHAS.map((sha) => ({ sha })) : []),
      ...(path.includes("{ref}") ? BAD_REFS.map((ref) => ({ ref })) : []),
    ];
    for (const over of variants) expectGitLabError(await raw(method, fill(path, over), undefined), method);
  });

  it("survives malformed and unknown query params", async () => {
    for (const q of BAD_QUERIES) expectGitLabError(await raw(method, `${fill(path, {})}?${q}`), method);
  });

  it("answers every other method with 404 JSON", async () => {
    for (const m of METHODS.filter((x) => x !== method && !(method === "GET" && x === "HEAD"))) {
      const r = await raw(m, fill(path, {}));
      expect(r.status).toBe(404);
      if (m !== "HEAD") expect(JSON.parse(r.text)).toEqual({ error: "404 Not Found" });
    }
  });

  it("survives odd bodies", async () => {
    for (const b of BODIES) expectGitLabError(await raw(method, fill(path, {}), b), method);
  });
});

describe("bodies", () => {
  it("accepts a JSON {} body with Content-Type application/json on a GET", async () => {
    const r = await raw("GET", "/api/v3/projects/1/builds/8", { type: "application/json", body: "{}" });
    expect(r.status).toBe(200);
  });

  it("answers 400 JSON for a body that is not valid JSON", async () => {
    const r = await raw("POST", "/api/v3/projects/1/builds/69/cancel", {
      type: "application/json",
      body: "{",
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text)).toEqual({ error: "The request body is not valid JSON" });
  });

  it("answers 413 for a body over the limit", async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, "a");
    const r = await raw("POST", "/api/v3/projects/1/builds/69/cancel", {
      type: "application/json",
      body: big,
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.text)).toEqual({ message: "413 Request Entity Too Large" });
  });
});

describe("unknown routes", () => {
  it.each(["/", "/api/v3", "/api/v3/projects/1", "/api/v3/projects/1/builds/8/nope", "/api/v5/x", "/%ZZ"])(
    "answers %s with 404 {error: 404 Not Found}",
    async (target) => {
      const r = await raw("GET", target);
      expect(r.status).toBe(404);
      expect(r.type).toBe("application/json");
      expect(JSON.parse(r.text)).toEqual({ error: "404 Not Found" });
    },
  );
});

describe("after everything", () => {
  it("still serves requests and never logged an unexpected error", async () => {
    const res = await api(server, "/api/v3/projects/1/builds", { token: ROOT_TOKEN });
    expect(res.status).toBe(200);
    expect(logged).toEqual([]);
  });
});

describe("unexpected exceptions", () => {
  it("are answered 500 with GitLab's body and logged with the request id", async () => {
    const lines: string[] = [];
    const broken = await startTestServer({
      seedFile: SEED_DOC_FILE,
      log: (l) => lines.push(l),
      routes: (router) =>
        router.add(
          "GET",
          "/api/v3/boom",
          () => {
            throw new Error("kaboom");
          },
          { summary: "Always fails", api: "v3", responses: {} },
        ),
    });
    try {
      const res = await fetch(`${broken.url}/api/v3/boom`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ message: "500 Internal Server Error" });
      const id = res.headers.get("x-request-id");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`[${id}]`);
      expect(lines[0]).toContain("kaboom");
    } finally {
      await broken.close();
    }
  });
});

describe("JSON nesting", () => {
  // GitLab's JSON validation middleware answers 400 {"error": "Parameters nested too deeply"} before
  // routing or authentication (lib/gitlab/middleware/json_validation.rb, StreamValidator).
  it("answers 400 'Parameters nested too deeply' to 3,000 nested arrays, even without a token", async () => {
    const deep = `${"[".repeat(3000)}${"]".repeat(3000)}`;
    for (const target of ["/api/v3/projects/1/builds/69/cancel", "/api/v4/projects/1/jobs/69/cancel"]) {
      const r = await rawRequest(server.url, "", "POST", target, { type: "application/json", body: deep });
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text)).toEqual({ error: "Parameters nested too deeply" });
    }
  });

  it("still accepts a body nested 100 deep", async () => {
    const ok = `{"a":${"[".repeat(99)}${"]".repeat(99)}}`;
    const r = await raw("GET", "/api/v3/projects/1/builds/8", { type: "application/json", body: ok });
    expect(r.status).toBe(200);
  });
});

describe("__proto__ in params", () => {
  // Rack parses `scope[__proto__]=x` into {"scope" => {"__proto__" => "x"}}: a hash, which Grape's
  // `values:` validation of scope refuses with 400 (lib/api/builds.rb, lib/api/jobs.rb).
  it.each(["/api/v3/projects/1/builds?scope[__proto__]=x", "/api/v4/projects/1/jobs?scope[__proto__]=x"])(
    "answers %s with 400 instead of ignoring the scope",
    async (target) => {
      const r = await raw("GET", target);
      expect(r.status).toBe(400);
      expect(JSON.parse(r.text)).toEqual({ error: "scope does not have a valid value" });
    },
  );
});

describe("null bytes", () => {
  // GitLab's Gitlab::Middleware::HandleMalformedStrings: a null byte in the path or the params is
  // answered `[400, { 'Content-Type' => 'text/plain' }, ['Bad Request']]` before any route.
  it.each([
    "/api/v3/projects/1%00/builds",
    "/api/v4/projects/1/jobs/9%00",
    "/api/v4/projects/1/jobs?scope=%00",
    "/api/v4/projects/1/pipelines?ref=main%00x",
  ])("answers %s with GitLab's plain 400", async (target) => {
    const r = await raw("GET", target);
    expect({ status: r.status, type: r.type, text: r.text }).toEqual({
      status: 400,
      type: "text/plain",
      text: "Bad Request",
    });
  });
});
