// A `FetchFunction` over node:http: the runner inside `buildsim run` moves artifacts with it, so the CLI
// never loads undici (Node's fetch), ~10 ms of compile plus its per-request overhead on the only thread.

import http from "node:http";
import type { FetchFunction, TransferFetchResponse } from "./artifacts-transfer.js";

/**
 * Plain `http:` requests with keep-alive (idle sockets are unref'd by the agent, so they never hold the
 * process open). Any other protocol rejects: use `globalThis.fetch` for those.
 */
export function createNodeHttpFetch(): FetchFunction {
  const agent = new http.Agent({ keepAlive: true });
  return (url, init) =>
    new Promise<TransferFetchResponse>((resolve, reject) => {
      const target = new URL(url);
      if (target.protocol !== "http:") {
        reject(new TypeError(`createNodeHttpFetch handles http: URLs only, not ${target.protocol}`));
        return;
      }
      const headers: Record<string, string> = { ...init.headers };
      if (init.body) headers["Content-Length"] = String(init.body.byteLength);
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
              arrayBuffer: async () =>
                body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
            });
          });
        },
      );
      req.on("error", reject);
      req.end(init.body);
    });
}
