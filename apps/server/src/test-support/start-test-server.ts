// Starts a real server on port 0 with an in-memory database for a test, and a small fetch helper.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import { OPENAPI_PATH, type OpenApiDocument } from "../openapi/openapi-document.js";
import { type RunningServer, type StartServerOptions, startServer } from "../start-server.js";
import { type ConformanceCheck, createConformanceCheck } from "./openapi-conformance.js";
import { createTestStore, ON_POSTGRES } from "./test-store.js";

/** `examples/seed-doc.yaml`: the data behind the seed document's examples. */
export const SEED_DOC_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../examples/seed-doc.yaml",
);

/** The token the seed document's examples use (user `root`). */
export const ROOT_TOKEN = "9koXpg98eAheJpvBs5tK";

/** A fixed clock for tests: starts at `start` and moves only when told. */
export function createFakeClock(start = "2026-01-01T00:00:00.000Z") {
  let now = Date.parse(start);
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Deterministic tokens: `tok-000001`, `tok-000002`, … */
export function createTokenSequence(prefix = "tok") {
  let n = 0;
  return () => `${prefix}-${String(++n).padStart(6, "0")}`;
}

/**
 * startServer with a throwaway database (SQLite in memory, or PostgreSQL on the suite's PostgreSQL run), a
 * fake clock, deterministic tokens and no logging by default.
 */
export function startTestServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const clock = createFakeClock();
  const throwaway = ON_POSTGRES && options.store === undefined && options.dataDir === undefined;
  return startServer({
    db: ":memory:",
    ...(throwaway ? { store: createTestStore() } : {}),
    clock: clock.now,
    generateToken: createTokenSequence(),
    log: () => {},
    ...options,
  });
}

const checks = new WeakMap<RunningServer, Promise<ConformanceCheck>>();

/** The server's own OpenAPI document, fetched once per server, as a response checker. */
function conformanceCheckOf(server: RunningServer): Promise<ConformanceCheck> {
  let check = checks.get(server);
  if (!check) {
    check = fetch(`${server.url}${OPENAPI_PATH}`)
      .then((res) => res.json())
      .then((doc) => createConformanceCheck(doc as OpenApiDocument));
    checks.set(server, check);
  }
  return check;
}

/**
 * `fetch` against the server with the PRIVATE-TOKEN header when `token` is given. Every response is
 * checked against the server's OpenAPI document (status, content type, JSON body); one that does not
 * conform fails the test.
 */
export async function api(
  server: RunningServer,
  pathAndQuery: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<Response> {
  const { token, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token) headers.set("PRIVATE-TOKEN", token);
  const res = await fetch(`${server.url}${pathAndQuery}`, { ...rest, headers });
  const check = await conformanceCheckOf(server);
  const method = rest.method ?? "GET";
  const body = method === "HEAD" ? "" : await res.clone().text();
  const path = pathAndQuery.split("?")[0] ?? "";
  const problem = check(method, path, res.status, res.headers.get("content-type"), body);
  if (problem) throw new Error(`response does not conform to the OpenAPI document: ${problem}`);
  return res;
}

/**
 * A start function for tests that need several servers: each started with `seedText` (or none), all
 * closed after each test. Call at the top of a test file.
 */
export function startedPerTest(): (seedText?: string) => Promise<RunningServer> {
  const servers: RunningServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });
  return async (seedText) => {
    const s = await startTestServer(seedText === undefined ? {} : { seedText });
    servers.push(s);
    return s;
  };
}
