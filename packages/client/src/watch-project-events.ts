// Follows a project's job and pipeline changes over buildsim's events WebSocket, reconnecting after drops.
//
//   page                                     server (`GET /-/buildsim/events?project=ID`, upgraded)
//     |<-- job {id, pipeline_id, status} --------|  a job was created or changed
//     |<-- pipeline {id, status} ----------------|  a pipeline's status was recomputed
//
// Events are hints and are not replayed: every (re)connect yields `connected` first, so a caller refetches
// what it shows and cannot miss a change made while the socket was down.

import {
  type BackoffOptions,
  backoffDelayMs,
  CLOSE_CODES,
  closeCodeMeaning,
  EVENTS_WS_PATH,
  type JobChangedEvent,
  type PipelineChangedEvent,
  parseServerToEventsWatcherMessage,
} from "@buildsim/core";
import type { ProjectRef } from "./api-options.js";
import { abortedError, type SleepFn } from "./backoff.js";
import { ClientError, type ClientErrorCode } from "./client-error.js";
import { SocketEventQueue } from "./socket-event-queue.js";
import type { ResolvedWebSocketFactory, WebSocketLike } from "./web-socket-factory.js";

/** What `watchProjectEvents` yields. */
export type ProjectEvent = { type: "connected" } | JobChangedEvent | PipelineChangedEvent;

export interface WatchProjectEventsOptions {
  /** Aborting closes the socket and makes the iterator throw a ClientError with code `aborted`. */
  signal?: AbortSignal;
  /** Backoff between reconnects, and how many failed connections in a row end with `network`. */
  reconnect?: BackoffOptions & { maxAttempts?: number };
}

/** What the watcher needs from its client. */
export interface ProjectEventsContext {
  baseUrl: string;
  token: string | undefined;
  webSockets: ResolvedWebSocketFactory;
  sleep: SleepFn;
}

/** What a close means is core's CLOSE_CODE_TABLE: `stop` codes are errors, the rest are drops. */
function closeError(code: number): ClientErrorCode | undefined {
  return closeCodeMeaning(code)?.clientError;
}

function eventsUrl(context: ProjectEventsContext, project: ProjectRef): string {
  const url = new URL(`${context.baseUrl.replace(/\/+$/, "")}${EVENTS_WS_PATH}`);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("project", String(project));
  if (context.token !== undefined && !context.webSockets.supportsHeaders) {
    url.searchParams.set("private_token", context.token);
  }
  return url.toString();
}

/** Core's parser; a message this version does not know (or not JSON) is ignored, not an error. */
function parseEvent(data: string): JobChangedEvent | PipelineChangedEvent | null {
  const parsed = parseServerToEventsWatcherMessage(data);
  return parsed.ok ? parsed.value : null;
}

/** Yields `connected` on each (re)connect, then the project's events, until aborted. */
export async function* watchProjectEvents(
  context: ProjectEventsContext,
  project: ProjectRef,
  options: WatchProjectEventsOptions = {},
): AsyncGenerator<ProjectEvent, void, undefined> {
  const { signal } = options;
  const maxAttempts = options.reconnect?.maxAttempts ?? 10;
  let failures = 0;
  for (;;) {
    if (signal?.aborted) throw abortedError(signal);
    const headers: Record<string, string> =
      context.token !== undefined && context.webSockets.supportsHeaders
        ? { "PRIVATE-TOKEN": context.token }
        : {};
    let socket: WebSocketLike | null = null;
    let opened = false;
    let lastReason = "";
    try {
      socket = await context.webSockets.open(eventsUrl(context, project), headers);
    } catch (cause) {
      lastReason = String(cause);
    }
    if (socket) {
      const queue = new SocketEventQueue(socket);
      const onAbort = () => queue.interrupt(CLOSE_CODES.NORMAL, "aborted");
      signal?.addEventListener("abort", onAbort, { once: true });
      if (signal?.aborted) onAbort();
      try {
        for (;;) {
          const event = await queue.next();
          if (signal?.aborted) throw abortedError(signal);
          if (event.kind === "open") {
            opened = true;
            failures = 0;
            yield { type: "connected" };
          } else if (event.kind === "message") {
            const parsed = parseEvent(event.data);
            if (parsed) yield parsed;
          } else if (event.kind === "error") {
            lastReason = event.message;
            const status = event.httpStatus;
            if (status !== null && status >= 400 && status < 500 && status !== 429) {
              throw new ClientError({
                code: status === 404 ? "not_found" : "forbidden",
                status,
                message: event.message,
              });
            }
          } else {
            const code = closeError(event.code);
            if (code)
              throw new ClientError({
                code,
                message: event.reason || `Events socket closed with ${event.code}`,
              });
            lastReason ||= `closed with ${event.code}`;
            break;
          }
        }
      } finally {
        signal?.removeEventListener("abort", onAbort);
        if (socket.readyState <= 1) {
          try {
            socket.close(CLOSE_CODES.NORMAL);
          } catch {
            // Closing a socket that is still connecting may throw; it is going away anyway.
          }
        }
      }
    }
    if (!opened) failures += 1;
    if (failures >= maxAttempts) {
      throw new ClientError({
        code: "network",
        message: `Events socket failed ${failures} times in a row: ${lastReason}`,
      });
    }
    await context.sleep(backoffDelayMs(Math.max(0, failures - 1), options.reconnect), signal);
  }
}
