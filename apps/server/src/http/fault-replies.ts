// What a fault puts on the wire: GitLab's and its proxies' own failure responses, and responses broken
// off mid-way. Sources are cited beside each preset.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultEffect } from "@buildsim/core";
import { API_ERRORS } from "./api-error.js";
import { jsonReply, type Reply } from "./reply.js";

type StatusEffect = Extract<FaultEffect, { type: "rate-limit" | "error" }>;

const text = (status: number, type: string, body: string, headers: string[] = []): Reply => ({
  status,
  headers: ["Content-Type", type, ...headers],
  body: Buffer.from(body),
});

/**
 * Workhorse's answer when Rails does not respond (workhorse/internal/badgateway/roundtripper.go, production
 * mode): 502, `text/plain`, `GitLab is not responding`.
 */
const BAD_GATEWAY = text(502, "text/plain; charset=utf-8", "GitLab is not responding");

/** The front proxy's maintenance page (omnibus NGINX serves GitLab's public/503.html). */
const UNAVAILABLE = text(
  503,
  "text/html",
  "<!DOCTYPE html>\n<html>\n<head>\n  <meta charset='utf-8'>\n  <title>GitLab is not responding (503)</title>\n</head>\n<body>\n  <h1>503</h1>\n  <h3>Whoops, GitLab is temporarily unavailable.</h3>\n</body>\n</html>\n",
);

/**
 * Rack::Attack's throttled response as GitLab sends it (doc/administration/settings/user_and_ip_rate_limits.md,
 * "Response text" and "Response headers"): 429, the plain-text `Retry later`, `Retry-After` in seconds and
 * the `RateLimit-*` headers (the reset as Unix time and as an HTTP date).
 */
function rateLimited(retryAfterSeconds: number, limit: number, nowMs: number): Reply {
  const resetMs = nowMs + retryAfterSeconds * 1000;
  return text(429, "text/plain", "Retry later\n", [
    "Retry-After",
    String(retryAfterSeconds),
    "RateLimit-Name",
    "throttle_authenticated_api",
    "RateLimit-Limit",
    String(limit),
    "RateLimit-Observed",
    String(limit + 1),
    "RateLimit-Remaining",
    "0",
    "RateLimit-Reset",
    String(Math.ceil(resetMs / 1000)),
    "RateLimit-ResetTime",
    new Date(resetMs).toUTCString(),
  ]);
}

/** The reply a status fault answers with instead of serving the request. */
export function faultReply(effect: StatusEffect, nowMs: number): Reply {
  if (effect.type === "rate-limit")
    return rateLimited(effect.retryAfterSeconds ?? 60, effect.limit ?? 600, nowMs);
  if (effect.status === 502) return BAD_GATEWAY;
  if (effect.status === 503) return UNAVAILABLE;
  // GitLab's API for an unhandled exception (lib/api/helpers.rb, `handle_api_exception`).
  return jsonReply(API_ERRORS.INTERNAL.status, API_ERRORS.INTERNAL.body);
}

/** How long a delay fault waits. */
export function delayMsOf(effect: Extract<FaultEffect, { type: "delay" }>, random: () => number): number {
  if (effect.ms !== undefined) return effect.ms;
  const min = effect.minMs ?? 0;
  const max = effect.maxMs ?? min;
  return min + Math.floor(random() * (max - min + 1));
}

/** Drops the connection with a TCP reset before anything was answered (the client sees ECONNRESET). */
export function resetConnection(req: IncomingMessage): void {
  req.socket.resetAndDestroy();
}

/**
 * Sends `reply`'s status and headers (with its full Content-Length) and the first `bodyBytes` bytes of its
 * body, then closes the connection: the client sees a response cut short. Returns the bytes sent.
 */
export function writeBrokenReply(
  res: ServerResponse,
  reply: Reply,
  bodyBytes: number,
  requestId: string,
): number {
  const wire = [...reply.headers, "Content-Length", String(reply.body.byteLength)];
  res.writeHead(reply.status, reply.status >= 400 ? [...wire, "X-Request-Id", requestId] : wire);
  const sent = Math.min(bodyBytes, reply.body.byteLength);
  if (sent > 0) res.write(reply.body.subarray(0, sent));
  else res.flushHeaders();
  // end(), not destroy(): what was written still reaches the client, then the connection closes.
  res.socket?.end();
  return sent;
}
