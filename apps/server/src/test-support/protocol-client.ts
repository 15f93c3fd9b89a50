// A WebSocket client speaking the runner or watcher protocol from core's types, for tests: every
// message is queued and awaited by type, so tests wait for events instead of sleeping.

import {
  PROTOCOL_VERSION,
  RUNNER_WS_PATH,
  type RunnerToServerMessage,
  type ServerToEventsWatcherMessage,
  type ServerToRunnerMessage,
  type ServerToWatcherMessage,
  TRACE_WS_PATH,
  type WelcomeMessage,
} from "@buildsim/core";
import WebSocket from "ws";
import type { RunningServer } from "../start-server.js";

type AnyMessage = ServerToRunnerMessage | ServerToWatcherMessage | ServerToEventsWatcherMessage;

/** A socket whose incoming JSON messages can be awaited in order. */
export class ProtocolClient<In extends AnyMessage> {
  private readonly queue: In[] = [];
  private waiters: Array<() => void> = [];
  closeCode: number | null = null;
  readonly closed: Promise<number>;

  constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.queue.push(JSON.parse(data.toString()) as In);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on("close", (code) => {
        this.closeCode = code;
        this.wake();
        resolve(code);
      }),
    );
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The next message (any type); rejects when the socket closes first. */
  async next(): Promise<In> {
    for (;;) {
      const m = this.queue.shift();
      if (m) return m;
      if (this.closeCode !== null) throw new Error(`socket closed (${this.closeCode}) while waiting`);
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  /** The next message of `type`, skipping others of the types in `skip`. */
  async nextOf<T extends In["type"]>(type: T, skip: In["type"][] = []): Promise<Extract<In, { type: T }>> {
    for (;;) {
      const m = await this.next();
      if (m.type === type) return m as Extract<In, { type: T }>;
      if (!skip.includes(m.type)) throw new Error(`expected ${type}, got ${JSON.stringify(m)}`);
    }
  }

  /** Messages already received and not yet taken. */
  get pending(): readonly In[] {
    return this.queue;
  }

  send(m: RunnerToServerMessage): void {
    this.socket.send(JSON.stringify(m));
  }

  close(): Promise<number> {
    this.socket.close();
    return this.closed;
  }
}

const wsUrl = (server: RunningServer, path: string) => `${server.url.replace(/^http/, "ws")}${path}`;

/**
 * Opens a socket listening from its first byte (the server may send right after the handshake),
 * resolving when it is open or rejecting with the HTTP status and body of a refused upgrade.
 */
export function openClient<In extends AnyMessage>(
  url: string,
  headers: Record<string, string> = {},
): Promise<ProtocolClient<In>> {
  const socket = new WebSocket(url, { headers });
  const client = new ProtocolClient<In>(socket);
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve(client));
    socket.once("unexpected-response", (_req, res) => {
      let body = "";
      res.on("data", (c: Buffer) => {
        body += c.toString();
      });
      res.on("end", () =>
        reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body })),
      );
    });
    socket.once("error", reject);
  });
}

/** A runner that said hello and got its welcome. */
export async function connectRunner(
  server: RunningServer,
  token: string,
  extra: { tags?: string[] } = {},
): Promise<{ client: ProtocolClient<ServerToRunnerMessage>; welcome: WelcomeMessage }> {
  const client = await openClient<ServerToRunnerMessage>(wsUrl(server, RUNNER_WS_PATH));
  client.send({ type: "hello", protocol: PROTOCOL_VERSION, token, name: "test-runner", ...extra });
  const welcome = await client.nextOf("welcome");
  return { client, welcome };
}

/** A runner socket before hello. */
export async function openRunnerSocket(
  server: RunningServer,
): Promise<ProtocolClient<ServerToRunnerMessage>> {
  return openClient<ServerToRunnerMessage>(wsUrl(server, RUNNER_WS_PATH));
}

/** A trace watcher for `build` of `project` from `offset`. */
export async function connectWatcher(
  server: RunningServer,
  q: { project: number | string; build: number; offset?: number; token?: string; tokenInQuery?: boolean },
): Promise<ProtocolClient<ServerToWatcherMessage>> {
  const params = new URLSearchParams({ project: String(q.project), build: String(q.build) });
  if (q.offset !== undefined) params.set("offset", String(q.offset));
  if (q.token && q.tokenInQuery) params.set("private_token", q.token);
  const headers: Record<string, string> = q.token && !q.tokenInQuery ? { "PRIVATE-TOKEN": q.token } : {};
  return openClient<ServerToWatcherMessage>(wsUrl(server, `${TRACE_WS_PATH}?${params}`), headers);
}

/** Base64 of UTF-8 `text`. */
export const b64 = (text: string) => Buffer.from(text).toString("base64");
