// A real node:http + ws server on port 0 for the client's tests: scripted HTTP answers and trace sockets.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { TRACE_WS_PATH } from "@buildsim/core";
import { type WebSocket, WebSocketServer } from "ws";

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What an HTTP handler answers. `destroy` drops the connection without a response. */
export type TestReply =
  | { status: number; headers?: Record<string, string>; body?: string | Uint8Array | object }
  | { destroy: true };

export type HttpHandler = (request: RecordedRequest) => TestReply | Promise<TestReply>;

/** One trace watcher connection: its query, headers, and the socket to script. */
export interface WatcherConnection {
  socket: WebSocket;
  project: string | null;
  build: string | null;
  offset: number;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface TestServerOptions {
  http?: HttpHandler;
  /** Called for each upgrade on TRACE_WS_PATH. Without it, upgrades are refused with `upgradeStatus`. */
  watcher?: (connection: WatcherConnection) => void;
  /** @default 404 */
  upgradeStatus?: number;
  /** JSON body of a refused upgrade. @default none */
  upgradeBody?: object;
}

export interface TestServer {
  url: string;
  requests: RecordedRequest[];
  connections: WatcherConnection[];
  close(): Promise<void>;
}

/** Starts the server; `close()` ends every open socket. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const connections: WatcherConnection[] = [];
  const wss = new WebSocketServer({ noServer: true });

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      url: req.url ?? "/",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    requests.push(recorded);
    const reply: TestReply = options.http
      ? await options.http(recorded)
      : { status: 404, body: { error: "404 Not Found" } };
    if ("destroy" in reply) {
      req.socket.destroy();
      return;
    }
    const { body } = reply;
    const isBytes = typeof body === "string" || body instanceof Uint8Array;
    const headers = {
      ...(isBytes || body === undefined ? {} : { "content-type": "application/json" }),
      ...reply.headers,
    };
    res.writeHead(reply.status, headers);
    res.end(body === undefined ? undefined : isBytes ? body : JSON.stringify(body));
  });

  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== TRACE_WS_PATH || !options.watcher) {
      const status = options.upgradeStatus ?? 404;
      const body = options.upgradeBody === undefined ? "" : JSON.stringify(options.upgradeBody);
      const type = body === "" ? "" : "Content-Type: application/json\r\n";
      socket.end(
        `HTTP/1.1 ${status} Refused\r\nConnection: close\r\n${type}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: WatcherConnection = {
        socket: ws,
        project: url.searchParams.get("project"),
        build: url.searchParams.get("build"),
        offset: Number(url.searchParams.get("offset") ?? "0"),
        query: url.searchParams,
        headers: req.headers,
      };
      connections.push(connection);
      options.watcher?.(connection);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    connections,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends a `chunk` message holding `bytes` at `offset`. */
export function sendChunk(socket: WebSocket, offset: number, bytes: Uint8Array): void {
  socket.send(JSON.stringify({ type: "chunk", offset, data: Buffer.from(bytes).toString("base64") }));
}
