// A late watcher of a large trace: the backlog comes in bounded chunks paced by the socket, a healthy
// watcher always gets `end`, and one that reads nothing is told 4408 (docs/runner-protocol.md, "Slow
// watchers") instead of having its connection dropped (1006).

import { CLOSE_CODES, type ServerToWatcherMessage } from "@buildsim/core";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer, StartServerOptions } from "../start-server.js";
import { connectRunner, connectWatcher, type ProtocolClient } from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../test-support/runner-seed.js";
import { startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
afterEach(() => server.close());

const MiB = 1024 * 1024;

/** Build 2 run to success with `bytes` of trace (appended in-process: the runner path is tested elsewhere). */
async function finishedBuild(bytes: number, options: StartServerOptions["realtime"] = {}) {
  server = await startTestServer({ seedText: RUNNER_SEED, realtime: options });
  const runner = await connectRunner(server, T.shared);
  runner.client.send({ type: "claim", requestId: "r" });
  await runner.client.nextOf("job");
  const line = Buffer.alloc(MiB, "z");
  for (let at = 0; at < bytes; at += MiB)
    server.app.traces.appendTrace(2, at, line.subarray(0, Math.min(MiB, bytes - at)));
  runner.client.send({ type: "finish", buildId: 2, state: "success", exitCode: 0, traceBytes: bytes });
  await runner.client.nextOf("finishAck");
}

/** Every message until the socket closes, and the close code. */
async function drain(w: ProtocolClient<ServerToWatcherMessage>) {
  const messages: ServerToWatcherMessage[] = [];
  for (;;) {
    try {
      messages.push(await w.next());
    } catch {
      return { messages, code: await w.closed };
    }
  }
}

describe("a late watcher of a finished 24 MiB trace", () => {
  it("gets it in contiguous chunks of at most 1 MiB, then end and a normal close, never 4408", async () => {
    await finishedBuild(24 * MiB);
    const w = await connectWatcher(server, { project: 1, build: 2, token: T.admin });
    const { messages, code } = await drain(w);
    const chunks = messages.filter((m) => m.type === "chunk");
    let at = 0;
    for (const c of chunks) {
      expect(c.offset).toBe(at);
      const n = Buffer.from(c.data, "base64").byteLength;
      expect(n).toBeLessThanOrEqual(MiB);
      at += n;
    }
    expect(at).toBe(24 * MiB);
    expect(messages.at(-1)).toEqual({ type: "end", status: "success", length: 24 * MiB });
    expect(code).toBe(CLOSE_CODES.NORMAL);
  }, 60_000);

  it("resumes from an offset inside the trace with the rest only", async () => {
    await finishedBuild(3 * MiB);
    const w = await connectWatcher(server, { project: 1, build: 2, token: T.admin, offset: 3 * MiB - 10 });
    const { messages } = await drain(w);
    expect(messages[0]).toMatchObject({ type: "chunk", offset: 3 * MiB - 10 });
    expect(messages).toHaveLength(2);
  });
});

describe("a watcher that reads nothing", () => {
  it("is closed with 4408 (not dropped with 1006) when it reads again after more than 5 s", async () => {
    await finishedBuild(24 * MiB, { watcherStallMs: 500 });
    const w = await connectWatcher(server, { project: 1, build: 2, token: T.admin });
    w.socket.pause();
    await new Promise((r) => setTimeout(r, 6000));
    w.socket.resume();
    const { messages, code } = await drain(w);
    expect(code).toBe(CLOSE_CODES.WATCHER_TOO_SLOW);
    expect(messages.some((m) => m.type === "end")).toBe(false);
    // What it did get is a contiguous prefix it can resume from.
    let at = 0;
    for (const m of messages)
      if (m.type === "chunk") at = m.offset + Buffer.from(m.data, "base64").byteLength;
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(24 * MiB);
  }, 60_000);
});
