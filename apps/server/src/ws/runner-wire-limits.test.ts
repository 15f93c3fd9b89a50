// The runner socket's limits: a deadline for hello, a frame size per message type, and trace data that
// must be base64. Close codes as documented in docs/runner-protocol.md (4000 protocol error, 4401
// unauthorized) and RFC 6455 §7.4.1 (1009: a message too big to process).

import { CLOSE_CODES } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { connectRunner, openRunnerSocket } from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../test-support/runner-seed.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: RUNNER_SEED, realtime: { helloTimeoutMs: 300 } });
});
afterEach(() => server.close());

describe("hello", () => {
  it("closes a socket that says nothing with 4401 once the hello deadline passes", async () => {
    const socket = await openRunnerSocket(server);
    expect(await socket.closed).toBe(CLOSE_CODES.UNAUTHORIZED);
  });

  it("keeps a runner that said hello open past the deadline", async () => {
    const { client } = await connectRunner(server, T.shared);
    await new Promise((r) => setTimeout(r, 600));
    client.send({ type: "heartbeat", buildIds: [] });
    client.send({ type: "claim", requestId: "still-here" });
    expect((await client.nextOf("job")).requestId).toBe("still-here");
  });
});

describe("frame sizes", () => {
  it("cuts off a 15 MiB heartbeat while it arrives (1009), and the API keeps answering", async () => {
    const { client } = await connectRunner(server, T.shared);
    const ids = new Array((15 * 1024 * 1024) / 2).fill(2);
    client.socket.send(JSON.stringify({ type: "heartbeat", buildIds: ids }));
    expect(await client.closed).toBe(1009);
    expect((await api(server, "/api/v4/version", { token: T.admin })).status).toBe(200);
  });

  it("closes with 4000 for a 100 KiB heartbeat, which only a trace may be", async () => {
    const { client } = await connectRunner(server, T.shared);
    client.socket.send(JSON.stringify({ type: "heartbeat", buildIds: new Array(50_000).fill(2) }));
    expect(await client.closed).toBe(CLOSE_CODES.PROTOCOL_ERROR);
  });

  it("accepts a trace chunk of the full 1 MiB", async () => {
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    client.send({
      type: "trace",
      buildId: 2,
      offset: 0,
      data: Buffer.alloc(1024 * 1024, "a").toString("base64"),
    });
    expect((await client.nextOf("traceAck")).length).toBe(1024 * 1024);
  });
});

describe("trace data", () => {
  it.each(["not base64!", "YWJj\n", "YW=j", "YWJ"])(
    "closes with 4000 for data %j and stores nothing",
    async (data) => {
      const { client } = await connectRunner(server, T.shared);
      client.send({ type: "claim", requestId: "r" });
      await client.nextOf("job");
      client.send({ type: "trace", buildId: 2, offset: 0, data });
      expect(await client.closed).toBe(CLOSE_CODES.PROTOCOL_ERROR);
      expect(server.store.traces.read(2).byteLength).toBe(0);
    },
  );
});
