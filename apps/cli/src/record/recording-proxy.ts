// The HTTP proxy `buildsim record` listens with: every request goes to the target as it came (a request
// without a token gets the recording token), every answer comes back as the target gave it, and a copy
// of each answer goes to `observe`. Bodies are decoded (the target is asked for no compression).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy forwards to and tells about each answer. */
export interface RecordingProxyOptions {
  /** The target's root URL (no `/api/v4`). */
  target: string;
  /** Sent as `PRIVATE-TOKEN` when a request carries no token of its own. */
  token: string;
  /** Told of every answer: the request's method and path (no query), the status, content type and body. */
  observe(method: string, path: string, status: number, contentType: string, body: Uint8Array): void;
  /** Where a failed forward is reported (the client gets a 502). */
  log(line: string): void;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Headers that describe one hop, not the message (RFC 9110 §7.6.1), or that fetch sets itself. */
const HOP_HEADERS = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "host",
  "content-length",
  "accept-encoding",
]);
const AUTH_HEADERS = ["private-token", "authorization", "job-token"];

/** A listening proxy. */
export interface RecordingProxy {
  url: string;
  close(): Promise<void>;
}

/** Starts the proxy on `port` (0 picks a free one) at `host`. */
export async function startRecordingProxy(
  options: RecordingProxyOptions,
  port: number,
  host: string,
): Promise<RecordingProxy> {
  const target = options.target.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_HEADERS.has(name)) continue;
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    if (!AUTH_HEADERS.some((h) => req.headers[h] !== undefined)) headers.set("private-token", options.token);
    headers.set("accept-encoding", "identity");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", "http://proxy");
    let upstream: Response;
    try {
      upstream = await doFetch(`${target}${url.pathname}${url.search}`, {
        method,
        headers,
        redirect: "manual",
        ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
      });
    } catch (e) {
      options.log(`${method} ${url.pathname}: the target did not answer (${describeCause(e)})`);
      res.writeHead(502, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ message: "502 Bad Gateway" }));
      return;
    }
    const body = new Uint8Array(await upstream.arrayBuffer());
    const out: Record<string, string | string[]> = {};
    upstream.headers.forEach((value, name) => {
      if (!HOP_HEADERS.has(name) && name !== "content-encoding") out[name] = value;
    });
    const cookies = upstream.headers.getSetCookie();
    if (cookies.length > 0) out["set-cookie"] = cookies;
    res.writeHead(upstream.status, { ...out, "content-length": String(body.byteLength) });
    res.end(body);
    options.observe(method, url.pathname, upstream.status, upstream.headers.get("content-type") ?? "", body);
  };
  const server: Server = createServer((req, res) => {
    forward(req, res).catch((e) => {
      options.log(`${req.method} ${req.url}: ${describeCause(e)}`);
      if (!res.headersSent) res.writeHead(502, { "Content-Type": "application/json" });
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The innermost message of a fetch failure (`fetch failed` wraps ECONNREFUSED and such). */
function describeCause(e: unknown): string {
  let current = e;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
