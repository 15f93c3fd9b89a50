// Property-based fuzzing of the WebSocket side: random frames on runner sockets (before and after a
// valid hello) and random trace-watcher upgrades against a real server process on loopback. The server
// must answer each with a documented close code or HTTP error, never crash, keep memory bounded, and
// still run the protocol afterwards.

import { PROTOCOL_VERSION, RUNNER_WS_PATH, TRACE_WS_PATH } from "@buildsim/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { E2E_TOKENS, e2eSeed } from "../test-support/e2e-seed.js";
import {
  isAlive,
  killAll,
  type ServerProcess,
  startServerProcess,
  tempDir,
} from "../test-support/processes.js";
import { isGitLabError, recordFigures, rssMiB, sendRaw } from "./fuzz-support.js";

const MAX_CASES = 400;
const TIME_LIMIT_MS = 45_000;
/** Close codes a runner socket may get (docs/runner-protocol.md; 1009 from `ws` for an oversized frame). */
const RUNNER_CLOSE_CODES = new Set([1000, 1009, 4000, 4401, 4426]);

const id = fc.oneof(fc.constantFrom(1, 2, 0, -1, 1.5, 2 ** 53), fc.integer());
const anyValue = fc.oneof(
  id,
  fc.string({ maxLength: 30 }),
  fc.boolean(),
  fc.constant(null),
  fc.json({ maxDepth: 2 }).map((j) => JSON.parse(j) as unknown),
);
const message = fc.oneof(
  fc.record({
    type: fc.constant("claim"),
    requestId: fc.oneof(fc.string({ maxLength: 8 }), id),
    waitMs: fc.option(fc.oneof(id, fc.string()), { nil: undefined }),
  }),
  fc.record({
    type: fc.constant("trace"),
    buildId: id,
    offset: id,
    data: fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString("base64")),
      fc.string({ maxLength: 40 }),
    ),
  }),
  fc.record({ type: fc.constant("heartbeat"), buildIds: fc.oneof(fc.array(id, { maxLength: 5 }), anyValue) }),
  fc.record({
    type: fc.constant("finish"),
    buildId: id,
    state: fc.constantFrom("success", "failed", "bogus"),
    exitCode: fc.oneof(id, fc.constant(null)),
    traceBytes: id,
    failureReason: fc.option(fc.constantFrom("script_failure", "nope"), { nil: undefined }),
  }),
  fc.record({ type: fc.constant("release"), buildId: id }),
  fc.record({
    type: fc.constantFrom("hello", "welcome", "job", "nope", ""),
    token: anyValue,
    protocol: anyValue,
  }),
  fc.dictionary(fc.string({ maxLength: 6 }), anyValue),
);
const frame = fc.oneof(
  { weight: 6, arbitrary: message.map((m) => JSON.stringify(m)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 100 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)) },
  // Oversized frames: a heartbeat past the small-frame limit, and one past ws's maxPayload.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(80_000, 2_000_000)
      .map((n) => JSON.stringify({ type: "heartbeat", buildIds: new Array(Math.floor(n / 2)).fill(1) })),
  },
);
const session = fc.record({ hello: fc.boolean(), frames: fc.array(frame, { minLength: 1, maxLength: 5 }) });

/** Opens a runner socket, says hello when asked, sends the frames; resolves with how it ended. */
function runSession(
  url: string,
  s: { hello: boolean; frames: Array<string | Buffer> },
): Promise<number | "open"> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}${RUNNER_WS_PATH}`);
    let done = false;
    const finish = (how: number | "open") => {
      if (done) return;
      done = true;
      resolve(how);
      ws.terminate();
    };
    ws.on("error", () => {});
    ws.on("close", (code) => finish(code));
    ws.on("open", () => {
      if (s.hello)
        ws.send(JSON.stringify({ type: "hello", protocol: PROTOCOL_VERSION, token: E2E_TOKENS.runner }));
      for (const f of s.frames) ws.send(f, { binary: Buffer.isBuffer(f) });
      // Valid frames leave the socket open: give the server a moment to object, then hang up ourselves.
      setTimeout(() => finish("open"), 30);
    });
  });
}

const watcherQuery = fc
  .record({
    project: fc.oneof(fc.constantFrom("1", "e2e/app", "E2E/APP", "2", ""), fc.string({ maxLength: 10 })),
    build: fc.oneof(fc.constantFrom("1", "0", "-1", "x"), fc.string({ maxLength: 10 })),
    offset: fc.option(fc.oneof(fc.constantFrom("0", "-1", "1e9", "x"), fc.string({ maxLength: 6 })), {
      nil: undefined,
    }),
    token: fc.constantFrom(E2E_TOKENS.admin, "wrong", ""),
  })
  .map((q) =>
    new URLSearchParams(
      Object.entries(q).filter(([, v]) => v !== undefined) as [string, string][],
    ).toString(),
  );

/** Tries a watcher upgrade; resolves with the HTTP status and body of a refusal, or 101 when it opened. */
function tryWatch(url: string, query: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace(/^http/, "ws")}${TRACE_WS_PATH}?${query}`);
    ws.on("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
        ws.terminate();
      });
    });
    ws.on("open", () => {
      resolve({ status: 101, body: "" });
      ws.terminate();
    });
    ws.on("error", () => resolve({ status: 0, body: "" }));
  });
}

let server: ServerProcess;
let data: { dir: string; remove: () => void };
beforeAll(async () => {
  data = tempDir("buildsim-fuzz-ws-");
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

describe("the WebSocket side under random frames", () => {
  it("closes bad runner sockets with documented codes, refuses bad watchers in GitLab's format, and survives", async () => {
    const pid = server.child.pid!;
    const rssBefore = rssMiB(pid);
    let sessions = 0;
    let frames = 0;
    let upgrades = 0;
    const unexpected: string[] = [];
    await fc.assert(
      fc.asyncProperty(session, async (s) => {
        const how = await runSession(server.url, s);
        sessions++;
        frames += s.frames.length;
        if (how !== "open" && !RUNNER_CLOSE_CODES.has(how)) unexpected.push(`runner closed ${how}`);
        return how === "open" || RUNNER_CLOSE_CODES.has(how);
      }),
      { numRuns: MAX_CASES, interruptAfterTimeLimit: TIME_LIMIT_MS, seed: 1313 },
    );
    await fc.assert(
      fc.asyncProperty(watcherQuery, async (q) => {
        const { status, body } = await tryWatch(server.url, q);
        upgrades++;
        const ok = status === 101 || (status >= 400 && status < 500 && isGitLabError(body));
        if (!ok) unexpected.push(`watcher ${q} → ${status} ${body.slice(0, 100)}`);
        return ok;
      }),
      { numRuns: MAX_CASES, interruptAfterTimeLimit: TIME_LIMIT_MS, seed: 1313 },
    );
    const alive = isAlive(pid);
    const rssAfter = rssMiB(pid);
    // The protocol still works: a runner says hello and is welcomed; the API answers.
    const welcomed = await new Promise<boolean>((resolve) => {
      const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}${RUNNER_WS_PATH}`);
      ws.on("open", () =>
        ws.send(JSON.stringify({ type: "hello", protocol: PROTOCOL_VERSION, token: E2E_TOKENS.runner })),
      );
      ws.on("message", (raw) => {
        resolve((JSON.parse(raw.toString()) as { type: string }).type === "welcome");
        ws.close();
      });
      ws.on("error", () => resolve(false));
    });
    const version = await sendRaw(server.url, {
      method: "GET",
      target: "/api/v4/version",
      headers: { "PRIVATE-TOKEN": E2E_TOKENS.admin },
    });
    recordFigures("ws", {
      sessions,
      frames,
      upgrades,
      unexpected: unexpected.length,
      crashes: alive ? 0 : 1,
      rssBeforeMiB: rssBefore,
      rssAfterMiB: rssAfter,
    });
    expect(unexpected).toEqual([]);
    expect(alive).toBe(true);
    expect(welcomed).toBe(true);
    expect(version.status).toBe(200);
    expect(rssAfter - rssBefore).toBeLessThan(150);
  }, 150_000);
});
