// Starts a real server on port 0 with an in-memory database for a test, and a small fetch helper.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningServer, type StartServerOptions, startServer } from "../start-server.js";

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

/** startServer with an in-memory DB, a fake clock, deterministic tokens and no logging by default. */
export function startTestServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const clock = createFakeClock();
  return startServer({
    db: ":memory:",
    clock: clock.now,
    generateToken: createTokenSequence(),
    log: () => {},
    ...options,
  });
}

/** `fetch` against the server with the PRIVATE-TOKEN header when `token` is given. */
export function api(
  server: RunningServer,
  pathAndQuery: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<Response> {
  const { token, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (token) headers.set("PRIVATE-TOKEN", token);
  return fetch(`${server.url}${pathAndQuery}`, { ...rest, headers });
}
