// The runner connection's timers run on its injected clock: reconnect backoff and heartbeats happen when
// the clock says so, and these tests move the clock instead of waiting for time to pass.

import type { RunnerToServerMessage } from "@buildsim/core";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  createRunnerConnection,
  type RunnerConnection,
  type RunnerSocketConstructor,
} from "./runner-connection.js";
import { makeJobPayload } from "./test-support/make-job-payload.js";
import { ManualClock } from "./test-support/manual-clock.js";
import { type RunnerProtocolPeer, startRunnerProtocolPeer } from "./test-support/runner-protocol-peer.js";

let peer: RunnerProtocolPeer | null = null;
let connection: RunnerConnection | null = null;

afterEach(async () => {
  await connection?.close();
  await peer?.close();
  connection = null;
  peer = null;
});

/** A WebSocket constructor that counts the sockets it opens. */
function countingSocket(): { opened: () => number; WebSocket: RunnerSocketConstructor } {
  let count = 0;
  class CountingSocket extends WebSocket {
    constructor(url: string) {
      super(url);
      count++;
    }
  }
  return { opened: () => count, WebSocket: CountingSocket as unknown as RunnerSocketConstructor };
}

/** The next message of `type` the peer receives. */
function nextMessage(
  p: RunnerProtocolPeer,
  type: RunnerToServerMessage["type"],
): Promise<RunnerToServerMessage> {
  return new Promise((resolve) => {
    const listener = (message: RunnerToServerMessage) => {
      if (message.type !== type) return;
      p.events.off("message", listener);
      resolve(message);
    };
    p.events.on("message", listener);
  });
}

describe("runner connection on an injected clock", () => {
  it("waits the backoff on its clock before each reconnect attempt, doubling up to the cap, and leaves no timer when closed", async () => {
    // A port nobody listens on any more: every attempt is refused at once.
    const gone = await startRunnerProtocolPeer();
    const url = gone.url;
    await gone.close();
    const clock = new ManualClock();
    const sockets = countingSocket();
    let failed = () => {};
    const retries: number[] = [];
    connection = createRunnerConnection({
      url,
      token: "runner-token",
      clock,
      WebSocket: sockets.WebSocket,
      reconnectDelayMs: 1000,
      maxReconnectDelayMs: 4000,
      // Jitter "half-to-full" at its low end: half of min(4000, 1000 · 2^attempt).
      random: () => 0,
    });
    connection.onConnectFailure((_error, retryInMs) => {
      retries.push(retryInMs);
      failed();
    });
    const nextFailure = () => new Promise<void>((resolve) => (failed = resolve));
    let failure = nextFailure();
    const connecting = connection.connect().catch((e: unknown) => e);
    await failure;
    for (const [i, delayMs] of [500, 1000, 2000, 2000].entries()) {
      expect(retries[i]).toBe(delayMs);
      expect(clock.pendingDelaysMs).toEqual([delayMs]);
      clock.advance(delayMs - 1);
      expect(sockets.opened()).toBe(i + 1);
      failure = nextFailure();
      clock.advance(1);
      await failure;
      expect(sockets.opened()).toBe(i + 2);
    }
    expect(retries).toEqual([500, 1000, 2000, 2000, 2000]);
    await connection.close();
    expect(await connecting).toMatchObject({ code: "CLOSED" });
    expect(clock.pendingDelaysMs).toEqual([]);
  });

  it("reconnects after the server closes the socket when its clock reaches the delay, not a millisecond sooner", async () => {
    peer = await startRunnerProtocolPeer();
    const clock = new ManualClock();
    connection = createRunnerConnection({
      url: peer.url,
      token: "runner-token",
      clock,
      reconnectDelayMs: 500,
      random: () => 0,
    });
    await connection.connect();
    const disconnected = new Promise((resolve) => connection?.onDisconnect(resolve));
    peer.disconnectAll(1001);
    await disconnected;
    // The heartbeat stopped with the socket: the only timer left is the reconnect, at half of 500 ms.
    expect(clock.pendingDelaysMs).toEqual([250]);
    clock.advance(249);
    expect(peer.received.filter((r) => r.message.type === "hello")).toHaveLength(1);
    const rewelcomed = new Promise((resolve) => connection?.onWelcome(resolve));
    clock.advance(1);
    await rewelcomed;
    expect(peer.received.filter((r) => r.message.type === "hello")).toHaveLength(2);
  });

  it("sends one heartbeat each time its clock passes the server's interval, naming the builds in progress", async () => {
    peer = await startRunnerProtocolPeer({ heartbeatIntervalMs: 10_000 });
    const clock = new ManualClock();
    connection = createRunnerConnection({ url: peer.url, token: "runner-token", clock });
    peer.enqueue(makeJobPayload({ id: 9 }));
    await connection.connect();
    await connection.claim();
    expect(clock.pendingDelaysMs).toEqual([10_000]);
    clock.advance(9_999);
    let heartbeat = nextMessage(peer, "heartbeat");
    clock.advance(1);
    expect(await heartbeat).toEqual({ type: "heartbeat", buildIds: [9] });
    // Messages arrive in order: had one gone out before 10 s, it would have been received first.
    expect(peer.received.filter((r) => r.message.type === "heartbeat")).toHaveLength(1);
    expect(clock.pendingDelaysMs).toEqual([10_000]);
    heartbeat = nextMessage(peer, "heartbeat");
    clock.advance(10_000);
    expect(await heartbeat).toEqual({ type: "heartbeat", buildIds: [9] });
    expect(peer.received.filter((r) => r.message.type === "heartbeat")).toHaveLength(2);
  });
});
