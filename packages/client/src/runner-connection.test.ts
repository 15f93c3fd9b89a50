import type { RunnerToServerMessage } from "@buildsim/core";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  createRunnerConnection,
  type RunnerConnection,
  type RunnerConnectionOptions,
  type RunnerSocketConstructor,
} from "./runner-connection.js";
import { RunnerConnectionError } from "./runner-connection-error.js";
import { makeJobPayload } from "./test-support/make-job-payload.js";
import {
  type RunnerProtocolPeer,
  type RunnerProtocolPeerOptions,
  startRunnerProtocolPeer,
  type TraceFault,
} from "./test-support/runner-protocol-peer.js";

let peer: RunnerProtocolPeer | null = null;
let connection: RunnerConnection | null = null;

afterEach(async () => {
  await connection?.close();
  await peer?.close();
  connection = null;
  peer = null;
});

async function setUp(
  peerOptions: RunnerProtocolPeerOptions = {},
  connectionOptions: Partial<RunnerConnectionOptions> = {},
): Promise<{ peer: RunnerProtocolPeer; connection: RunnerConnection }> {
  peer = await startRunnerProtocolPeer(peerOptions);
  connection = createRunnerConnection({
    url: peer.url,
    token: "runner-token",
    reconnectDelayMs: 5,
    maxReconnectDelayMs: 20,
    ...connectionOptions,
  });
  return { peer, connection };
}

/** Deterministic pseudo-random bytes, so a failure reproduces. */
function bytesOf(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x & 0xff;
  }
  return out;
}

describe("runner connection", () => {
  it("says hello with its token and tags and resolves connect with the welcome", async () => {
    const { peer, connection } = await setUp(
      { runners: { "runner-token": 7 } },
      { tags: ["docker", "linux"] },
    );
    const welcome = await connection.connect();
    expect(welcome.runnerId).toBe(7);
    expect(connection.resume).toEqual([]);
    expect(peer.received[0]?.message).toMatchObject({
      type: "hello",
      token: "runner-token",
      tags: ["docker", "linux"],
    });
  });

  it("opens its sockets with the injected WebSocket constructor", async () => {
    const urls: string[] = [];
    class RecordingSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        urls.push(url);
      }
    }
    const { peer, connection } = await setUp(
      {},
      { WebSocket: RecordingSocket as unknown as RunnerSocketConstructor },
    );
    await connection.connect();
    expect(urls).toEqual([`${peer.url.replace("http:", "ws:")}/-/buildsim/runner`]);
  });

  it("refuses a URL it cannot connect to when created", () => {
    expect(() => createRunnerConnection({ url: "not a url", token: "t" })).toThrow(TypeError);
  });

  it("resolves every connect() call with the same first welcome", async () => {
    const { connection } = await setUp();
    const [first, second] = await Promise.all([connection.connect(), connection.connect()]);
    expect(second).toBe(first);
    expect(await connection.connect()).toBe(first);
  });

  it("answers claims with the job or null, matched by request id", async () => {
    const { peer, connection } = await setUp();
    peer.enqueue(makeJobPayload({ id: 11 }));
    await connection.connect();
    const [first, second] = await Promise.all([connection.claim(), connection.claim()]);
    expect([first?.id ?? null, second?.id ?? null].sort()).toEqual([11, null].sort());
    expect(connection.buildIds).toEqual([11]);
  });

  it("streams trace bytes exactly and finishes only after the last byte is acknowledged", async () => {
    const { peer, connection } = await setUp({}, { maxTraceChunkBytes: 1000 });
    peer.enqueue(makeJobPayload({ id: 1 }));
    await connection.connect();
    await connection.claim();
    const expected = bytesOf(50_000, 1);
    for (let at = 0; at < expected.length; at += 777)
      connection.appendTrace(1, expected.subarray(at, at + 777));
    const status = await connection.finish(1, { state: "success", exitCode: 0 });
    expect(status).toBe("success");
    const build = peer.builds.get(1)!;
    expect(build.trace.equals(expected)).toBe(true);
    expect(build.finish).toMatchObject({ state: "success", exitCode: 0, traceBytes: 50_000 });
    expect(build.overlapBytes).toBe(0);
    const finishIndex = peer.received.findIndex((r) => r.message.type === "finish");
    expect(peer.received.slice(finishIndex + 1).some((r) => r.message.type === "trace")).toBe(false);
  });

  it("holds at most maxTraceMemoryBytes per build in memory, spills the rest, and still delivers every byte", async () => {
    const { peer, connection } = await setUp({}, { maxTraceChunkBytes: 1000, maxTraceMemoryBytes: 4096 });
    peer.enqueue(makeJobPayload({ id: 1 }));
    await connection.connect();
    await connection.claim();
    const expected = bytesOf(60_000, 3);
    // Written faster than the server acknowledges: without the bound all 60 000 bytes would sit in memory.
    for (let at = 0; at < expected.length; at += 1500)
      connection.appendTrace(1, expected.subarray(at, at + 1500));
    const status = await connection.finish(1, { state: "success", exitCode: 0 });
    expect(status).toBe("success");
    expect(peer.builds.get(1)!.trace.equals(expected)).toBe(true);
    expect(peer.builds.get(1)!.overlapBytes).toBe(0);
  });

  it("resends from the acknowledged length when the server acknowledges less than it was sent (a gap)", async () => {
    let traceMessages = 0;
    const { peer, connection } = await setUp(
      { traceFault: (): TraceFault => (++traceMessages % 3 === 0 ? "drop" : "store") },
      { maxTraceChunkBytes: 500 },
    );
    peer.enqueue(makeJobPayload({ id: 2 }));
    await connection.connect();
    await connection.claim();
    const expected = bytesOf(20_000, 2);
    for (let at = 0; at < expected.length; at += 300)
      connection.appendTrace(2, expected.subarray(at, at + 300));
    await connection.finish(2, { state: "failed", exitCode: 1, failureReason: "script_failure" });
    expect(peer.builds.get(2)!.trace.equals(expected)).toBe(true);
    expect(traceMessages).toBeGreaterThan(20);
    expect(peer.builds.get(2)!.finish).toMatchObject({ failureReason: "script_failure", traceBytes: 20_000 });
  });

  it("sends a trace message and a finish again after the server answers INTERNAL for their build, on the same socket", async () => {
    let traceMessages = 0;
    let finishes = 0;
    const errors: Error[] = [];
    const { peer, connection } = await setUp(
      {
        // The server's database was unreachable for the 2nd and 3rd message, then for the first finish.
        traceFault: (): TraceFault => ([2, 3].includes(++traceMessages) ? "fail" : "store"),
        failFinish: () => ++finishes === 1,
      },
      { maxTraceChunkBytes: 1000 },
    );
    connection.onError((e) => errors.push(e));
    peer.enqueue(makeJobPayload({ id: 5 }));
    await connection.connect();
    await connection.claim();
    const expected = bytesOf(5_000, 5);
    for (let at = 0; at < expected.length; at += 1000)
      connection.appendTrace(5, expected.subarray(at, at + 1000));
    expect(await connection.finish(5, { state: "success", exitCode: 0 })).toBe("success");
    expect(peer.builds.get(5)!.trace.equals(expected)).toBe(true);
    expect(peer.builds.get(5)!.overlapBytes).toBe(0);
    expect(finishes).toBe(2);
    expect(traceMessages).toBe(7);
    // No reconnect was needed: the messages went again on the first socket.
    expect(peer.received.filter((r) => r.message.type === "hello")).toHaveLength(1);
    expect(errors.map((e) => e.message)).toEqual([
      "INTERNAL: trace append failed",
      "INTERNAL: trace append failed",
      "INTERNAL: finish failed",
    ]);
  });

  it("does not resend bytes the server stored when the socket died before their acknowledgement", async () => {
    let traceMessages = 0;
    const { peer, connection } = await setUp(
      { traceFault: (): TraceFault => (++traceMessages === 3 ? "storeThenDisconnect" : "store") },
      { maxTraceChunkBytes: 256 },
    );
    peer.enqueue(makeJobPayload({ id: 3 }));
    await connection.connect();
    await connection.claim();
    const expected = bytesOf(10_000, 3);
    for (let at = 0; at < expected.length; at += 100)
      connection.appendTrace(3, expected.subarray(at, at + 100));
    await connection.finish(3, { state: "success", exitCode: 0 });
    expect(peer.builds.get(3)!.trace.equals(expected)).toBe(true);
    expect(peer.builds.get(3)!.overlapBytes).toBe(0);
    expect(peer.received.filter((r) => r.message.type === "hello")).toHaveLength(2);
  });

  it("reconnects after the socket dies mid-stream and resumes from the bytes the server holds, without loss or duplicates", async () => {
    const cuts = new Set([4, 9, 15]);
    let traceMessages = 0;
    const { peer, connection } = await setUp(
      { traceFault: (): TraceFault => (cuts.has(++traceMessages) ? "disconnect" : "store") },
      { maxTraceChunkBytes: 400 },
    );
    peer.enqueue(makeJobPayload({ id: 4 }));
    await connection.connect();
    await connection.claim();
    const expected = bytesOf(30_000, 4);
    let at = 0;
    // Write while the socket flaps: some bytes go out before each cut, some while disconnected.
    const unsubscribe = connection.onDisconnect(() => {
      connection.appendTrace(4, expected.subarray(at, at + 1000));
      at += 1000;
    });
    for (; at < 20_000; at += 250) connection.appendTrace(4, expected.subarray(at, at + 250));
    await peer.waitForWelcomes(4);
    unsubscribe();
    connection.appendTrace(4, expected.subarray(at));
    await connection.finish(4, { state: "success", exitCode: 0 });
    const build = peer.builds.get(4)!;
    expect(build.trace.equals(expected)).toBe(true);
    expect(build.overlapBytes).toBe(0);
    expect(peer.received.filter((r) => r.message.type === "hello")).toHaveLength(4);
  });

  it("sends a finish lost with the socket again after reconnecting", async () => {
    let finishes = 0;
    const { peer, connection } = await setUp({ loseFinish: () => ++finishes === 1 });
    peer.enqueue(makeJobPayload({ id: 13 }));
    await connection.connect();
    await connection.claim();
    connection.appendTrace(13, "output\n");
    expect(await connection.finish(13, { state: "success", exitCode: 0 })).toBe("success");
    expect(finishes).toBe(2);
    expect(peer.builds.get(13)!.trace.toString()).toBe("output\n");
  });

  it("reconnects with backoff when the server goes away and resumes the build from the welcome's resume list", async () => {
    const { peer, connection } = await setUp({}, { random: () => 0 });
    peer.enqueue(makeJobPayload({ id: 5 }));
    await connection.connect();
    await connection.claim();
    connection.appendTrace(5, "before restart\n");
    await peer.waitForTraceBytes(5, 15);
    const rewelcomed = new Promise((resolve) => connection.onWelcome(resolve));
    peer.disconnectAll(1001);
    await rewelcomed;
    expect(connection.resume).toEqual([{ buildId: 5, traceBytes: 15, status: "running" }]);
    connection.appendTrace(5, "after restart\n");
    await connection.finish(5, { state: "success", exitCode: 0 });
    expect(peer.builds.get(5)!.trace.toString()).toBe("before restart\nafter restart\n");
  });

  it("tells its cancel listeners which build the server canceled and why", async () => {
    const { peer, connection } = await setUp();
    peer.enqueue(makeJobPayload({ id: 6 }));
    await connection.connect();
    await connection.claim();
    const canceled = new Promise<[number, string]>((resolve) =>
      connection.onCancel((id, reason) => resolve([id, reason])),
    );
    peer.cancel(6, "timeout");
    expect(await canceled).toEqual([6, "timeout"]);
    expect(await connection.finish(6, { state: "failed", exitCode: null })).toBe("canceled");
  });

  it("drops a build the server deleted: cancel listeners hear why, and nothing more of it is sent", async () => {
    const { peer, connection } = await setUp();
    peer.enqueue(makeJobPayload({ id: 9 }));
    await connection.connect();
    await connection.claim();
    const canceled = new Promise<[number, string]>((resolve) =>
      connection.onCancel((id, reason) => resolve([id, reason])),
    );
    peer.cancel(9, "deleted");
    expect(await canceled).toEqual([9, "deleted"]);
    expect(connection.buildIds).toEqual([]);
    expect(() => connection.appendTrace(9, "late\n")).toThrow(RunnerConnectionError);
    await expect(connection.finish(9, { state: "failed", exitCode: null })).rejects.toMatchObject({
      code: "UNKNOWN_BUILD",
    });
  });

  it("cancels a build the server canceled while the runner was disconnected", async () => {
    const { peer, connection } = await setUp();
    peer.enqueue(makeJobPayload({ id: 12 }));
    await connection.connect();
    await connection.claim();
    const disconnected = new Promise((resolve) => connection.onDisconnect(resolve));
    peer.disconnectAll(1001);
    await disconnected;
    peer.cancel(12);
    const canceled = new Promise<number>((resolve) => connection.onCancel((id) => resolve(id)));
    expect(await canceled).toBe(12);
    expect(connection.resume).toEqual([{ buildId: 12, traceBytes: 0, status: "canceled" }]);
    expect(await connection.finish(12, { state: "failed", exitCode: null })).toBe("canceled");
  });

  it("cancels a build and rejects its finish when the server no longer holds it after a reconnect", async () => {
    const { peer, connection } = await setUp();
    peer.enqueue(makeJobPayload({ id: 8 }));
    await connection.connect();
    await connection.claim();
    const canceled = new Promise<number>((resolve) => connection.onCancel((id) => resolve(id)));
    peer.builds.get(8)!.runnerId = 99;
    peer.disconnectAll(1001);
    expect(await canceled).toBe(8);
    expect(connection.buildIds).toEqual([]);
    await expect(connection.finish(8, { state: "success", exitCode: 0 })).rejects.toMatchObject({
      code: "UNKNOWN_BUILD",
    });
  });

  it("rejects connect with UNAUTHORIZED and stops when the server refuses the token", async () => {
    const { connection } = await setUp({ runners: { other: 1 } });
    const error = await connection.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerConnectionError);
    expect(error).toMatchObject({ code: "UNAUTHORIZED" });
    await expect(connection.claim()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(connection.connect()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("sends heartbeats naming the builds in progress", async () => {
    const { peer, connection } = await setUp({ heartbeatIntervalMs: 10 });
    peer.enqueue(makeJobPayload({ id: 9 }));
    await connection.connect();
    await connection.claim();
    const heartbeat = await new Promise<RunnerToServerMessage>((resolve) =>
      peer.events.on("message", (message: RunnerToServerMessage) => {
        if (message.type === "heartbeat") resolve(message);
      }),
    );
    expect(heartbeat).toEqual({ type: "heartbeat", buildIds: [9] });
  });

  it("rejects a claim in flight with DISCONNECTED when the socket closes", async () => {
    const { peer, connection } = await setUp({ answerClaims: () => false });
    await connection.connect();
    const claim = connection.claim();
    await new Promise((resolve) => peer.events.once("message", resolve));
    peer.disconnectAll(1001);
    await expect(claim).rejects.toMatchObject({ code: "DISCONNECTED" });
  });

  it("holds a claim made while disconnected until the next welcome", async () => {
    const { peer, connection } = await setUp();
    await connection.connect();
    const disconnected = new Promise((resolve) => connection.onDisconnect(resolve));
    peer.disconnectAll(1001);
    await disconnected;
    peer.enqueue(makeJobPayload({ id: 10 }));
    expect((await connection.claim())?.id).toBe(10);
    expect(peer.received.filter((r) => r.message.type === "hello")).toHaveLength(2);
  });
});
