// Responses as values: handlers return a Reply and the central handler writes it.

import type { ServerResponse } from "node:http";

/** A complete response. Headers are a flat list `[name, value, name, value…]`, as `writeHead` takes. */
export interface Reply {
  status: number;
  headers: string[];
  body: Buffer;
  /** `headers` + Content-Length, built on first write and reused when the reply is cached. */
  wire?: string[];
  /** For caches: the reply goes stale at this time (ms since epoch) even without a write (expiry). */
  validUntilMs?: number;
}

/** GitLab's JSON content type: exactly `application/json`, no charset (python-gitlab insists). */
export const JSON_TYPE = "application/json";

/** A JSON reply of `value` with extra headers. */
export function jsonReply(status: number, value: unknown, headers: string[] = []): Reply {
  return {
    status,
    headers: ["Content-Type", JSON_TYPE, ...headers],
    body: Buffer.from(JSON.stringify(value)),
  };
}

/**
 * Writes `reply` (HEAD gets the headers only). Errors carry `X-Request-Id`, the id their log line has;
 * successful replies skip it so a cached reply is written without building anything.
 */
export function writeReply(res: ServerResponse, reply: Reply, head: boolean, requestId: string): void {
  reply.wire ??= [...reply.headers, "Content-Length", String(reply.body.byteLength)];
  res.writeHead(reply.status, reply.status >= 400 ? [...reply.wire, "X-Request-Id", requestId] : reply.wire);
  res.end(head ? undefined : reply.body);
}
