// A `fetch` over node:http: the runner inside `buildsim run` moves artifacts with it and the board's API
// client reads with it, so the CLI never loads undici (Node's fetch): ~100 ms of CPU on its first request
// and ~6 ms on each after, measured, on the only thread.

import http from "node:http";
import type { TransferFetchResponse } from "./artifacts-transfer.js";

/** What the request takes: the runner's transfers send bytes, the API client JSON text. */
export interface NodeHttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

/** The answer, read whole: enough of `Response` for the transfers and for `@buildsim/client`. */
export interface NodeHttpResponse extends TransferFetchResponse {
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A runner `FetchFunction` and a client `FetchFn` at once. */
export type NodeHttpFetch = (url: string, init: NodeHttpRequestInit) => Promise<NodeHttpResponse>;

/**
 * Plain `http:` requests with keep-alive (idle sockets are unref'd by the agent, so they never hold the
 * process open). Any other protocol rejects: use `globalThis.fetch` for those.
 */
export function createNodeHttpFetch(): NodeHttpFetch {
  const agent = new http.Agent({ keepAlive: true });
  return (url, init) =>
    new Promise<NodeHttpResponse>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== "http:") {
        reject(new TypeError(`createNodeHttpFetch handles http: URLs only, not ${target.protocol}`));
        return;
      }
      const headers: Record<string, string> = { ...init.headers };
      if (init.body) headers["Content-Length"] = String(Buffer.byteLength(init.body));
      const req = http.request(
        target,
        { method: init.method ?? "GET", headers, agent, ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const body = Buffer.concat(chunks);
            const status = res.statusCode ?? 0;
            resolve({
              ok: status >= 200 && status < 300,
              status,
              statusText: res.statusMessage ?? "",
              headers: {
                get: (name) => {
                  const value = res.headers[name.toLowerCase()];
                  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
                },
              },
              arrayBuffer: async () =>
                body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
              text: async () => body.toString("utf8"),
            });
          });
        },
      );
      req.on("error", reject);
      req.end(init.body);
    });
}
