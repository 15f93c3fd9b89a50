// The little a runner connection needs from a WebSocket, its URL, and its reconnect backoff.

import { backoffDelayMs, RUNNER_WS_PATH } from "@buildsim/core";

/** The subset of the WHATWG WebSocket API (which `ws` implements too) the runner connection uses. */
export interface RunnerSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open", listener: () => void): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  addEventListener(type: "close", listener: (event: { code: number }) => void): void;
  addEventListener(type: "error", listener: (event: unknown) => void): void;
  /** `ws`'s ping frame and its `pong` event: how a silent server is told from an idle one. */
  ping?(): void;
  on?(event: "pong", listener: () => void): unknown;
  /** `ws`'s immediate close, for a link to a server that no longer answers. */
  terminate?(): void;
}

/** A WebSocket constructor such as `ws`'s `WebSocket` or the global one. */
export type RunnerSocketConstructor = new (url: string) => RunnerSocket;

/** The runner endpoint of a server: `http://h:p` → `ws://h:p/-/buildsim/runner`; a ws URL with a path is kept. */
export function runnerSocketUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.protocol === "http:") url.protocol = "ws:";
  else if (url.protocol === "https:") url.protocol = "wss:";
  if (url.pathname === "/" || url.pathname === "") url.pathname = RUNNER_WS_PATH;
  else if (!url.pathname.endsWith(RUNNER_WS_PATH))
    url.pathname = `${url.pathname.replace(/\/$/, "")}${RUNNER_WS_PATH}`;
  return url.toString();
}

/**
 * The delay before reconnect attempt `attempt` (0-based): core's backoff from `reconnectDelayMs`, capped
 * at `maxReconnectDelayMs`, jittered into [half, all] so a fleet of runners does not reconnect in
 * lockstep after a server restart.
 */
export function reconnectDelayMs(
  attempt: number,
  options: { reconnectDelayMs: number; maxReconnectDelayMs: number; random: () => number },
): number {
  return backoffDelayMs(
    attempt,
    {
      baseDelayMs: options.reconnectDelayMs,
      maxDelayMs: options.maxReconnectDelayMs,
      jitter: "half-to-full",
    },
    options.random,
  );
}
