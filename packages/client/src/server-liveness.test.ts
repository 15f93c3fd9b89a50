// A server that keeps the socket open but stops answering (hung, or its machine unplugged) is left for the
// next server of the list; an idle server that still answers pings is kept. Real `ws` servers on port 0.
// Pings are WebSocket control frames that a peer must answer with a pong (RFC 6455 §5.5.2).

import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { PROTOCOL_VERSION } from "@buildsim/core";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import {
  createRunnerConnection,
  type RunnerConnection,
  type RunnerSocketConstructor,
} from "./runner-connection.js";
import { ManualClock } from "./test-support/manual-clock.js";
import { type RunnerProtocolPeer, startRunnerProtocolPeer } from "./test-support/runner-protocol-peer.js";

const closers: Array<() => Promise<void>> = [];
let connection: RunnerConnection | null = null;

afterEach(async () => {
  await connection?.close();
  connection = null;
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function peer(
  options: Parameters<typeof startRunnerProtocolPeer>[0] = {},
): Promise<RunnerProtocolPeer> {
  const started = await startRunnerProtocolPeer(options);
  closers.push(() => started.close());
  return started;
}

/**
 * A WebSocket server that accepts runner sockets and then goes quiet: it never answers hello, or (with
 * `welcome`) answers it once and nothing after, not even a ping.
 */
async function quietServer(welcome: boolean): Promise<string> {
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", autoPong: false });
  await once(wss, "listening");
  wss.on("connection", (socket) =>
    socket.once("message", () => {
      if (welcome)
        socket.send(
          JSON.stringify({
            type: "welcome",
            protocol: PROTOCOL_VERSION,
            runnerId: 1,
            heartbeatIntervalMs: 20,
            resume: [],
          }),
        );
    }),
  );
  closers.push(async () => {
    for (const client of wss.clients) client.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });
  return `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
}

const hellos = (p: RunnerProtocolPeer) => p.received.filter((r) => r.message.type === "hello").length;

describe("a runner connection whose server stops answering", () => {
  it("gives up on a server that accepts the socket but never welcomes it, and connects to the next one", async () => {
    const quiet = await quietServer(false);
    const live = await peer();
    const failures: Array<[string, string]> = [];
    connection = createRunnerConnection({
      urls: [quiet, live.url],
      token: "runner-token",
      welcomeTimeoutMs: 100,
      reconnectDelayMs: 5,
    });
    connection.onConnectFailure((error, _retryInMs, url) => failures.push([url, error.message]));
    await connection.connect();
    expect(connection.serverUrl).toBe(live.url);
    expect(failures).toEqual([[quiet, "no welcome within 100 ms: the server does not answer"]]);
  });

  it("drops a server that welcomed it and then answered nothing, not even a ping, and resumes on the next one", async () => {
    const quiet = await quietServer(true);
    const live = await peer();
    const errors: string[] = [];
    connection = createRunnerConnection({
      urls: [quiet, live.url],
      token: "runner-token",
      serverSilenceTimeoutMs: 100,
      reconnectDelayMs: 5,
    });
    connection.onError((error) => errors.push(error.message));
    await connection.connect();
    expect(connection.serverUrl).toBe(quiet);
    await live.waitForWelcomes(1);
    expect(connection.serverUrl).toBe(live.url);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      new RegExp(`^${quiet} answered nothing for \\d+ ms \\(not even a ping\\): dropping the link$`),
    );
  });

  it("keeps an idle server that answers its pings, even when heartbeats are further apart than the limit", async () => {
    const live = await peer({ heartbeatIntervalMs: 10_000 });
    const other = await peer();
    const clock = new ManualClock();
    let pongs = 0;
    let ponged = () => {};
    class PongCountingSocket extends WebSocket {
      constructor(url: string) {
        super(url);
        this.on("pong", () => {
          pongs++;
          ponged();
        });
      }
    }
    connection = createRunnerConnection({
      urls: [live.url, other.url],
      token: "runner-token",
      clock,
      serverSilenceTimeoutMs: 1000,
      WebSocket: PongCountingSocket as unknown as RunnerSocketConstructor,
    });
    await connection.connect();
    for (let beat = 1; beat <= 3; beat++) {
      const answered = new Promise<void>((resolve) => (ponged = resolve));
      clock.advance(10_000);
      await answered;
      expect(pongs).toBe(beat);
    }
    expect(connection.isConnected).toBe(true);
    expect(connection.serverUrl).toBe(live.url);
    expect([hellos(live), hellos(other)]).toEqual([1, 0]);
  });
});
