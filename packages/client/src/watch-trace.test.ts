import { CLOSE_CODES } from "@buildsim/core";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { ClientError } from "./client-error.js";
import { createClient } from "./create-client.js";
import {
  type HttpHandler,
  sendChunk,
  startTestServer,
  type TestServer,
  type WatcherConnection,
} from "./test-support/test-server.js";
import type { TraceEvent } from "./watch-trace.js";
import type { WebSocketConstructorLike } from "./web-socket-factory.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const encoder = new TextEncoder();
// 3000 bytes with multi-byte characters and ANSI codes, so a byte offset can split a character.
const TRACE = encoder.encode(
  Array.from(
    { length: 100 },
    (_, i) => `\u001b[32m$ step ${String(i).padStart(3, "0")} ✓ ünïcode\u001b[0m\n`,
  ).join(""),
);

function recordingSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

async function collect(events: AsyncIterable<TraceEvent>): Promise<TraceEvent[]> {
  const all: TraceEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

function bytesOf(events: TraceEvent[]): Uint8Array {
  const chunks = events.flatMap((e) => (e.type === "chunk" ? [e] : []));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.bytes.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    expect(chunk.offset).toBe(at);
    out.set(chunk.bytes, at);
    at += chunk.bytes.length;
  }
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<ClientError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a ClientError");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  return error as ClientError;
}

// Sends the stored trace from the requested offset in 100-byte chunks, then `end`.
function streamAll(connection: WatcherConnection, trace = TRACE): void {
  for (let at = connection.offset; at < trace.length; at += 100) {
    sendChunk(connection.socket, at, trace.subarray(at, Math.min(trace.length, at + 100)));
  }
  connection.socket.send(JSON.stringify({ type: "end", status: "success", length: trace.length }));
  connection.socket.close(CLOSE_CODES.NORMAL);
}

async function serveWatcher(watcher: (connection: WatcherConnection) => void, http?: HttpHandler) {
  server = await startTestServer({ watcher, http });
  return server;
}

describe("watchTrace over the WebSocket", () => {
  it("yields every byte in order, then end, and sends the token as a PRIVATE-TOKEN header", async () => {
    const { url, connections } = await serveWatcher((c) => {
      c.socket.send(JSON.stringify({ type: "status", status: "running" }));
      streamAll(c);
    });
    const events = await collect(createClient({ baseUrl: url, token: "secret" }).watchTrace(1, 7));
    expect(bytesOf(events)).toEqual(TRACE);
    expect(events[0]).toEqual({ type: "status", status: "running" });
    expect(events.at(-1)).toEqual({ type: "end", status: "success", length: TRACE.length });
    expect(connections).toHaveLength(1);
    expect(connections[0]).toMatchObject({ project: "1", build: "7", offset: 0 });
    expect(connections[0]?.headers["private-token"]).toBe("secret");
    expect(connections[0]?.query.has("private_token")).toBe(false);
  });

  it("resumes after the socket is cut mid-stream, with exact bytes: nothing lost, nothing twice", async () => {
    const cutAt = 1234;
    const { url, connections } = await serveWatcher((c) => {
      if (connections.length === 1) {
        // First connection: 1234 bytes in uneven chunks, then the TCP connection dies (no close frame).
        sendChunk(c.socket, 0, TRACE.subarray(0, 1000));
        sendChunk(c.socket, 1000, TRACE.subarray(1000, cutAt));
        setImmediate(() => c.socket.terminate());
        return;
      }
      // The server resends from before the watcher's offset: the overlap must be dropped.
      const from = c.offset - 50;
      sendChunk(c.socket, from, TRACE.subarray(from, from + 80));
      streamAll({ ...c, offset: from + 80 });
    });
    const { delays, sleep } = recordingSleep();
    const events = await collect(createClient({ baseUrl: url, sleep }).watchTrace(1, 7));
    expect(connections.map((c) => c.offset)).toEqual([0, cutAt]);
    expect(bytesOf(events)).toEqual(TRACE);
    expect(new TextDecoder().decode(bytesOf(events))).toBe(new TextDecoder().decode(TRACE));
    expect(events.filter((e) => e.type === "end")).toHaveLength(1);
    expect(delays).toHaveLength(1);
  });

  it("starts from fromOffset and drops resent bytes below it", async () => {
    const { url, connections } = await serveWatcher((c) => streamAll({ ...c, offset: 0 }));
    const events = await collect(
      createClient({ baseUrl: url }).watchTrace("group/proj", 7, { fromOffset: 2500 }),
    );
    expect(connections[0]).toMatchObject({ project: "group/proj", offset: 2500 });
    const chunks = events.filter((e) => e.type === "chunk");
    expect(chunks[0]?.offset).toBe(2500);
    expect(Buffer.concat(chunks.map((c) => c.bytes))).toEqual(Buffer.from(TRACE.subarray(2500)));
  });

  it("reconnects at once from its offset when closed with WATCHER_TOO_SLOW", async () => {
    const { url, connections } = await serveWatcher((c) => {
      if (connections.length === 1) {
        sendChunk(c.socket, 0, TRACE.subarray(0, 700));
        c.socket.close(CLOSE_CODES.WATCHER_TOO_SLOW, "too slow");
        return;
      }
      streamAll(c);
    });
    const { delays, sleep } = recordingSleep();
    const events = await collect(createClient({ baseUrl: url, sleep }).watchTrace(1, 7));
    expect(connections.map((c) => c.offset)).toEqual([0, 700]);
    expect(bytesOf(events)).toEqual(TRACE);
    expect(delays).toEqual([]);
  });

  it("reconnects when end reports more bytes than it received", async () => {
    const { url, connections } = await serveWatcher((c) => {
      if (connections.length === 1) {
        sendChunk(c.socket, 0, TRACE.subarray(0, 300));
        c.socket.send(JSON.stringify({ type: "end", status: "failed", length: TRACE.length }));
        c.socket.close(CLOSE_CODES.NORMAL);
        return;
      }
      streamAll(c);
    });
    const events = await collect(createClient({ baseUrl: url }).watchTrace(1, 7));
    expect(connections.map((c) => c.offset)).toEqual([0, 300]);
    expect(bytesOf(events)).toEqual(TRACE);
    expect(events.filter((e) => e.type === "end")).toEqual([
      { type: "end", status: "success", length: TRACE.length },
    ]);
  });

  it("reconnects from its offset when a chunk skips ahead of the bytes it holds", async () => {
    const { url, connections } = await serveWatcher((c) => {
      if (connections.length === 1) {
        sendChunk(c.socket, 0, TRACE.subarray(0, 100));
        sendChunk(c.socket, 200, TRACE.subarray(200, 300));
        return;
      }
      streamAll(c);
    });
    const events = await collect(createClient({ baseUrl: url, sleep: async () => {} }).watchTrace(1, 7));
    expect(connections.map((c) => c.offset)).toEqual([0, 100]);
    expect(bytesOf(events)).toEqual(TRACE);
  });

  it.each([
    [CLOSE_CODES.UNAUTHORIZED, "unauthorized"],
    [CLOSE_CODES.PROTOCOL_ERROR, "protocol"],
    [CLOSE_CODES.UNSUPPORTED_PROTOCOL, "protocol"],
    // The build was deleted with its pipeline while watched: nothing will come back.
    [CLOSE_CODES.BUILD_DELETED, "not_found"],
  ] as const)("throws a ClientError when the server closes with %i", async (code, expected) => {
    const { url, connections } = await serveWatcher((c) => c.socket.close(code, "No such build"));
    const error = await rejection(collect(createClient({ baseUrl: url }).watchTrace(1, 999)));
    expect(error.code).toBe(expected);
    expect(error.message).toBe("No such build");
    expect(connections).toHaveLength(1);
  });

  // 4403 is not a close code buildsim sends (a refused watcher gets GitLab's HTTP 403 on the upgrade,
  // tested below), so a close with it is a dropped connection like any other.
  it("treats a close with a code buildsim never sends (4403) as a drop and resumes from its bytes", async () => {
    const { url, connections } = await serveWatcher((c) => {
      if (connections.length === 1) {
        sendChunk(c.socket, 0, TRACE.subarray(0, 100));
        c.socket.close(4403, "gone");
        return;
      }
      streamAll(c);
    });
    const events = await collect(createClient({ baseUrl: url, sleep: async () => {} }).watchTrace(1, 7));
    expect(connections.map((c) => c.offset)).toEqual([0, 100]);
    expect(bytesOf(events)).toEqual(TRACE);
  });

  it("throws a protocol error on a message it does not understand", async () => {
    const { url } = await serveWatcher((c) => c.socket.send(JSON.stringify({ type: "chunk", offset: -1 })));
    expect((await rejection(collect(createClient({ baseUrl: url }).watchTrace(1, 7)))).code).toBe("protocol");
  });

  it("sends the token as private_token when the injected WebSocket takes no headers", async () => {
    const { url, connections } = await serveWatcher((c) => streamAll(c));
    const client = createClient({
      baseUrl: url,
      token: "secret",
      WebSocket,
    });
    await collect(client.watchTrace(1, 7));
    expect(connections[0]?.query.get("private_token")).toBe("secret");
    expect(connections[0]?.headers["private-token"]).toBeUndefined();
  });

  it("stops and throws aborted when the signal fires, closing the socket", async () => {
    let closed: () => void = () => {};
    const socketClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const { url } = await serveWatcher((c) => {
      sendChunk(c.socket, 0, TRACE.subarray(0, 10));
      c.socket.on("close", () => closed());
    });
    const controller = new AbortController();
    const seen: TraceEvent[] = [];
    const watching = (async () => {
      for await (const event of createClient({ baseUrl: url }).watchTrace(1, 7, {
        signal: controller.signal,
      })) {
        seen.push(event);
        controller.abort();
      }
    })();
    expect((await rejection(watching)).code).toBe("aborted");
    await socketClosed;
    expect(seen).toHaveLength(1);
  });

  it("closes the socket when the caller breaks out of the loop", async () => {
    let closed: () => void = () => {};
    const socketClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const { url } = await serveWatcher((c) => {
      sendChunk(c.socket, 0, TRACE.subarray(0, 10));
      c.socket.on("close", () => closed());
    });
    for await (const event of createClient({ baseUrl: url }).watchTrace(1, 7)) {
      expect(event.type).toBe("chunk");
      break;
    }
    await socketClosed;
  });

  it("gives up with a network error after maxAttempts connections that bring nothing", async () => {
    server = await startTestServer({ upgradeStatus: 502 });
    const { delays, sleep } = recordingSleep();
    const client = createClient({ baseUrl: server.url, sleep });
    const error = await rejection(
      collect(client.watchTrace(1, 7, { reconnect: { maxAttempts: 3, baseDelayMs: 10 } })),
    );
    expect(error.code).toBe("network");
    expect(error.message).toContain("502");
    expect(delays).toHaveLength(2);
  });

  it.each([
    [401, "unauthorized", { message: "401 Unauthorized" }, "401 Unauthorized"],
    [403, "forbidden", { message: "403 Forbidden" }, "403 Forbidden"],
    [400, "bad_request", { error: "offset is invalid" }, "offset is invalid"],
    [401, "unauthorized", undefined, "Unexpected server response: 401"],
  ] as const)(
    "throws at once when the upgrade is refused with %i (%s)",
    async (status, code, body, message) => {
      server = await startTestServer({ upgradeStatus: status, upgradeBody: body });
      const { delays, sleep } = recordingSleep();
      const error = await rejection(collect(createClient({ baseUrl: server.url, sleep }).watchTrace(1, 7)));
      expect(error).toMatchObject({ code, status, message });
      expect(delays).toEqual([]);
    },
  );
});

describe("watchTrace against a server without the socket (real GitLab)", () => {
  // A job whose trace grows by one slice per poll and that completes after the last one.
  function gitlab(slices: number[]): HttpHandler & { advance(): void } {
    let step = 0;
    const handler = ((request) => {
      const length = slices[Math.min(step, slices.length - 1)]!;
      const done = step >= slices.length - 1;
      if (request.url === "/api/v4/projects/1/jobs/7") {
        return { status: 200, body: { id: 7, status: done ? "failed" : "running" } };
      }
      if (request.url === "/api/v4/projects/1/jobs/7/trace") {
        return { status: 200, headers: { "content-type": "text/plain" }, body: TRACE.subarray(0, length) };
      }
      return { status: 404, body: { error: "404 Not Found" } };
    }) as HttpHandler & { advance(): void };
    handler.advance = () => {
      step++;
    };
    return handler;
  }

  it("falls back to polling the v4 trace after a 404 upgrade, yielding only new bytes", async () => {
    const api = gitlab([0, 500, 500, 2000, TRACE.length]);
    server = await startTestServer({ http: api });
    const pollDelays: number[] = [];
    // The injected sleep is where time passes between polls: the job moves on one step each time.
    const sleep = async (ms: number) => {
      pollDelays.push(ms);
      api.advance();
    };
    const events = await collect(
      createClient({ baseUrl: server.url, sleep }).watchTrace(1, 7, { pollIntervalMs: 250 }),
    );
    expect(bytesOf(events)).toEqual(TRACE);
    expect(events.filter((e) => e.type === "chunk").map((e) => e.offset)).toEqual([0, 500, 2000]);
    expect(events.filter((e) => e.type !== "chunk")).toEqual([
      { type: "status", status: "running" },
      { type: "status", status: "failed" },
      { type: "end", status: "failed", length: TRACE.length },
    ]);
    expect(pollDelays).toEqual([250, 250, 250, 250]);
    expect(server.requests.filter((r) => r.url === "/api/v4/projects/1/jobs/7/trace")).toHaveLength(5);
  });

  it("polls from fromOffset when falling back", async () => {
    const api = gitlab([TRACE.length]);
    server = await startTestServer({ http: api });
    const events = await collect(
      createClient({ baseUrl: server.url }).watchTrace(1, 7, { fromOffset: 2990 }),
    );
    expect(events.filter((e) => e.type === "chunk")).toEqual([
      { type: "chunk", offset: 2990, bytes: TRACE.subarray(2990) },
    ]);
  });

  it("refuses to fall back in websocket mode", async () => {
    server = await startTestServer({});
    const error = await rejection(
      collect(createClient({ baseUrl: server.url }).watchTrace(1, 7, { mode: "websocket" })),
    );
    expect(error.code).toBe("not_found");
  });
});

describe("watchTrace with a browser-like WebSocket that hides the upgrade status", () => {
  // Wraps `ws` the way a browser behaves: errors carry no message, so the refused status is unknown.
  class BrowserLikeWebSocket {
    readonly #inner: WebSocket;
    onopen: ((event: unknown) => void) | null = null;
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onerror: ((event: unknown) => void) | null = null;
    onclose: ((event: { code: number; reason: string }) => void) | null = null;
    constructor(url: string) {
      this.#inner = new WebSocket(url);
      this.#inner.onopen = () => this.onopen?.({});
      this.#inner.onmessage = (event) => this.onmessage?.({ data: event.data });
      this.#inner.onerror = () => this.onerror?.({ type: "error" });
      this.#inner.onclose = (event) => this.onclose?.({ code: event.code, reason: event.reason });
    }
    get readyState(): number {
      return this.#inner.readyState;
    }
    close(code?: number): void {
      this.#inner.close(code);
    }
  }
  const BrowserWebSocket: WebSocketConstructorLike = BrowserLikeWebSocket;

  it("probes the path over HTTP, and polls when it is not there", async () => {
    server = await startTestServer({
      http: (request) => {
        if (request.url === "/api/v4/projects/1/jobs/7")
          return { status: 200, body: { id: 7, status: "success" } };
        if (request.url === "/api/v4/projects/1/jobs/7/trace") return { status: 200, body: TRACE };
        return { status: 404, body: { error: "404 Not Found" } };
      },
    });
    const client = createClient({ baseUrl: server.url, token: "t", WebSocket: BrowserWebSocket });
    const events = await collect(client.watchTrace(1, 7));
    expect(bytesOf(events)).toEqual(TRACE);
    expect(server.requests[0]?.url).toBe("/-/buildsim/trace?project=1&build=7");
    expect(server.requests[0]?.headers["private-token"]).toBe("t");
  });

  it("reports unauthorized when the probe says 401", async () => {
    server = await startTestServer({
      upgradeStatus: 401,
      http: () => ({ status: 401, body: { message: "401 Unauthorized" } }),
    });
    const client = createClient({ baseUrl: server.url, WebSocket: BrowserWebSocket });
    expect((await rejection(collect(client.watchTrace(1, 7)))).code).toBe("unauthorized");
  });
});
