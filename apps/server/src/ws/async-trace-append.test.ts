// Trace appends on PostgreSQL, which go through a connection of their own without blocking the event loop
// (store/postgres/async-trace-writer.ts, ws/trace-batcher.ts): a finish waits for the chunks sent before
// it, and a failed asynchronous append is stored through the store's own connection, acknowledged once
// and told to watchers. PostgreSQL only (vitest.config.ts): SQLite appends synchronously.

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunningServer } from "../start-server.js";
import { b64, connectRunner, connectWatcher } from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../test-support/runner-seed.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
let logged: string[];

beforeEach(async () => {
  logged = [];
  server = await startTestServer({
    seedText: RUNNER_SEED,
    log: (line) => logged.push(line),
    realtime: { sweepIntervalMs: 2 ** 30 },
  });
});
afterEach(() => server.close());

/** A runner holding build 2, and a watcher of it that has seen its `running` status. */
async function streaming() {
  const { client } = await connectRunner(server, T.shared);
  client.send({ type: "claim", requestId: "r" });
  expect((await client.nextOf("job")).job.id).toBe(2);
  const watcher = await connectWatcher(server, { project: 1, build: 2, token: T.admin });
  expect(await watcher.nextOf("status")).toEqual({ type: "status", status: "running" });
  return { client, watcher };
}

const apiTrace = async () =>
  (await api(server, "/api/v4/projects/1/jobs/2/trace", { token: T.admin })).text();

describe("trace appends on PostgreSQL", () => {
  it("use the store's asynchronous append", () => {
    expect(server.app.traces.appendsAsync).toBe(true);
  });

  it("finish a build only once every chunk sent before its finish is stored", async () => {
    const { client } = await streaming();
    // Sent back to back, with no wait for acks: several batches are in flight or queued at the finish.
    let offset = 0;
    for (let i = 0; i < 40; i++) {
      const line = `line ${i}\n`;
      client.send({ type: "trace", buildId: 2, offset, data: b64(line) });
      offset += Buffer.byteLength(line);
    }
    client.send({ type: "finish", buildId: 2, state: "success", exitCode: 0, traceBytes: offset });
    // A finish that ran before the chunks were stored would answer with a traceAck of what is held.
    expect((await client.nextOf("finishAck", ["traceAck"])).status).toBe("success");
    expect(await apiTrace()).toBe(Array.from({ length: 40 }, (_, i) => `line ${i}\n`).join(""));
  });

  it("store a chunk whose asynchronous append failed before storing it, acknowledge it and tell the watcher", async () => {
    const { client, watcher } = await streaming();
    vi.spyOn(server.app.traces, "appendBatchAsync").mockRejectedValueOnce(new Error("connection lost"));
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64("hello\n") });
    expect(await client.nextOf("traceAck")).toEqual({ type: "traceAck", buildId: 2, length: 6 });
    expect(Buffer.from((await watcher.nextOf("chunk", ["status"])).data, "base64").toString()).toBe(
      "hello\n",
    );
    expect(await apiTrace()).toBe("hello\n");
    expect(logged.some((l) => l.includes("storing it synchronously"))).toBe(true);
  });

  it("acknowledge once and tell the watcher a chunk whose append committed but whose answer was lost", async () => {
    const { client, watcher } = await streaming();
    const traces = server.app.traces;
    const real = traces.appendBatchAsync.bind(traces);
    // The statement commits, then the connection drops before its answer: nothing says it was stored.
    vi.spyOn(traces, "appendBatchAsync").mockImplementationOnce(async (batch) => {
      await real(batch);
      throw new Error("connection lost after the commit");
    });
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64("stored once\n") });
    expect(await client.nextOf("traceAck")).toEqual({ type: "traceAck", buildId: 2, length: 12 });
    // The synchronous retry found the bytes stored and stored nothing more, but still told the watcher.
    expect(Buffer.from((await watcher.nextOf("chunk", ["status"])).data, "base64").toString()).toBe(
      "stored once\n",
    );
    client.send({ type: "trace", buildId: 2, offset: 12, data: b64("next\n") });
    expect((await client.nextOf("traceAck")).length).toBe(17);
    expect(Buffer.from((await watcher.nextOf("chunk", ["status"])).data, "base64").toString()).toBe("next\n");
    expect(await apiTrace()).toBe("stored once\nnext\n");
  });
});
