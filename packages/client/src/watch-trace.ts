// Follows a build's trace live over buildsim's watcher WebSocket, resuming byte-exactly after every drop.
//
// The watcher ↔ server protocol (`GET /-/buildsim/trace?project=ID&build=ID&offset=N`, upgraded): chunk,
// status and end messages, drawn in docs/runner-protocol.md; messages and close codes are core's.
//
// The watcher counts the bytes it has yielded (`offset`). Any drop — network, restart (1001), a close
// with WATCHER_TOO_SLOW (4408), an `end` whose `length` is past what we hold — reconnects with
// `offset` = that count, after a backoff unless the server asked for it. Bytes below `offset` that a
// server resends are dropped, so callers see every byte exactly once. A server without the endpoint
// (real GitLab: the upgrade answers 404) is followed by polling the v4 trace and job instead.

import {
  type BackoffOptions,
  type BuildStatus,
  backoffDelayMs,
  CLOSE_CODES,
  closeCodeMeaning,
  parseServerToWatcherMessage,
  type ServerToWatcherMessage,
  TRACE_WS_PATH,
} from "@buildsim/core";
import type { ProjectRef } from "./api-options.js";
import { abortedError, type SleepFn } from "./backoff.js";
import { decodeBase64 } from "./base64.js";
import { ClientError, type ClientErrorCode, codeForStatus } from "./client-error.js";
import type { HttpTransport } from "./http-transport.js";
import type { JobsV4Api } from "./jobs-v4-api.js";
import { pollTrace } from "./poll-trace.js";
import { SocketEventQueue } from "./socket-event-queue.js";
import type { ResolvedWebSocketFactory, WebSocketLike } from "./web-socket-factory.js";

/** What `watchTrace` yields: trace bytes in order, status changes, and one final `end`. */
export type TraceEvent =
  | { type: "chunk"; offset: number; bytes: Uint8Array }
  | { type: "status"; status: BuildStatus }
  | { type: "end"; status: BuildStatus; length: number };

export interface TraceReconnectOptions extends BackoffOptions {
  /** Consecutive connections that brought no new bytes before giving up with `network`. @default 10 */
  maxAttempts?: number;
}

export interface WatchTraceOptions {
  /** Bytes the caller already has; the first chunk starts here. @default 0 */
  fromOffset?: number;
  /** Aborting closes the socket and makes the iterator throw a ClientError with code `aborted`. */
  signal?: AbortSignal;
  reconnect?: TraceReconnectOptions;
  /** `websocket` never falls back; `polling` never tries the socket. @default "auto" */
  mode?: "auto" | "websocket" | "polling";
  /** Delay between polls in the polling fallback. @default 1000 */
  pollIntervalMs?: number;
}

/** What the watcher needs from the client it belongs to. */
export interface TraceWatchContext {
  baseUrl: string;
  token: string | undefined;
  transport: HttpTransport;
  jobs: JobsV4Api;
  webSockets: ResolvedWebSocketFactory;
  sleep: SleepFn;
}

export const DEFAULT_RECONNECT_ATTEMPTS = 10;

type Outcome =
  | { kind: "ended" }
  | { kind: "reconnect"; immediate: boolean; progressed: boolean; reason: string }
  | { kind: "fallback" };

interface WatchState {
  /** Bytes yielded so far, counted from the trace's start. */
  offset: number;
  /** Whether the upgrade's HTTP status was already probed (browsers hide it). */
  probed: boolean;
}

// A refused upgrade worth another try; any other 4xx (401, 403, 400…) will not change by retrying.
const TRANSIENT_UPGRADE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429]);

/** Follows one build's trace; see the protocol notes at the top of this file. */
export async function* watchTrace(
  context: TraceWatchContext,
  project: ProjectRef,
  buildId: number,
  options: WatchTraceOptions = {},
): AsyncGenerator<TraceEvent, void, undefined> {
  const state: WatchState = { offset: options.fromOffset ?? 0, probed: false };
  const mode = options.mode ?? "auto";
  const maxAttempts = options.reconnect?.maxAttempts ?? DEFAULT_RECONNECT_ATTEMPTS;
  let failures = 0;
  while (mode !== "polling") {
    if (options.signal?.aborted) throw abortedError(options.signal);
    const outcome = yield* connectOnce(context, project, buildId, state, options);
    if (outcome.kind === "ended") return;
    if (outcome.kind === "fallback") {
      if (mode === "websocket") {
        throw new ClientError({
          code: "not_found",
          status: 404,
          message: "The server has no trace WebSocket",
        });
      }
      break;
    }
    failures = outcome.progressed ? 0 : failures + 1;
    if (failures >= maxAttempts) {
      throw new ClientError({
        code: "network",
        message: `Trace socket failed ${failures} times in a row: ${outcome.reason}`,
      });
    }
    // Reconnect at once when the server asked for it and the last connection brought bytes.
    if (!outcome.immediate || failures > 0) {
      await context.sleep(backoffDelayMs(Math.max(0, failures - 1), options.reconnect), options.signal);
    }
  }
  yield* pollTrace(context.jobs, project, buildId, state.offset, {
    signal: options.signal,
    pollIntervalMs: options.pollIntervalMs,
    sleep: context.sleep,
  });
}

function socketUrl(context: TraceWatchContext, project: ProjectRef, buildId: number, offset: number): string {
  const url = new URL(`${context.baseUrl.replace(/\/+$/, "")}${TRACE_WS_PATH}`);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("project", String(project));
  url.searchParams.set("build", String(buildId));
  url.searchParams.set("offset", String(offset));
  if (context.token !== undefined && !context.webSockets.supportsHeaders) {
    url.searchParams.set("private_token", context.token);
  }
  return url.toString();
}

async function* connectOnce(
  context: TraceWatchContext,
  project: ProjectRef,
  buildId: number,
  state: WatchState,
  options: WatchTraceOptions,
): AsyncGenerator<TraceEvent, Outcome, undefined> {
  const { signal } = options;
  const headers: Record<string, string> =
    context.token !== undefined && context.webSockets.supportsHeaders
      ? { "PRIVATE-TOKEN": context.token }
      : {};
  let socket: WebSocketLike;
  try {
    socket = await context.webSockets.open(socketUrl(context, project, buildId, state.offset), headers);
  } catch (cause) {
    return { kind: "reconnect", immediate: false, progressed: false, reason: String(cause) };
  }
  const queue = new SocketEventQueue(socket);
  const onAbort = () => queue.interrupt(CLOSE_CODES.NORMAL, "aborted");
  signal?.addEventListener("abort", onAbort, { once: true });
  // The signal may have fired while the socket was being created; its abort event is gone by now.
  if (signal?.aborted) onAbort();
  const startOffset = state.offset;
  let opened = false;
  let upgradeStatus: number | null = null;
  let lastError = "";
  try {
    for (;;) {
      const event = await queue.next();
      if (signal?.aborted) throw abortedError(signal);
      if (event.kind === "open") {
        opened = true;
      } else if (event.kind === "error") {
        upgradeStatus ??= event.httpStatus;
        lastError = event.message;
      } else if (event.kind === "close") {
        const progressed = state.offset > startOffset;
        const facts = { opened, progressed, upgradeStatus, lastError };
        return await classifyClose(context, event.code, event.reason, facts, state, project, buildId);
      } else {
        const message = parseWatcherMessage(event.data);
        if (message.type === "status") {
          yield { type: "status", status: message.status };
        } else if (message.type === "chunk") {
          if (message.offset > state.offset) {
            // A gap: bytes between what we hold and this chunk never arrived. Ask again from our offset.
            return {
              kind: "reconnect",
              immediate: true,
              progressed: state.offset > startOffset,
              reason: "gap in trace chunks",
            };
          }
          const bytes = decodeBase64(message.data);
          const fresh = bytes.subarray(Math.min(bytes.length, state.offset - message.offset));
          if (fresh.length > 0) {
            const offset = state.offset;
            state.offset += fresh.length;
            yield { type: "chunk", offset, bytes: fresh };
          }
        } else if (state.offset >= message.length) {
          yield { type: "end", status: message.status, length: message.length };
          return { kind: "ended" };
        } else {
          // The build ended but we hold fewer bytes than it has: fetch the rest on a new connection.
          return {
            kind: "reconnect",
            immediate: true,
            progressed: state.offset > startOffset,
            reason: "end before all bytes arrived",
          };
        }
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    closeQuietly(socket);
  }
}

interface ConnectionFacts {
  opened: boolean;
  progressed: boolean;
  upgradeStatus: number | null;
  lastError: string;
}

async function classifyClose(
  context: TraceWatchContext,
  code: number,
  reason: string,
  facts: ConnectionFacts,
  state: WatchState,
  project: ProjectRef,
  buildId: number,
): Promise<Outcome> {
  // What a close means is core's table: `stop` codes are errors, the rest are drops to resume from.
  const meaning = closeCodeMeaning(code);
  if (meaning?.clientError) {
    const closeError: ClientErrorCode = meaning.clientError;
    throw new ClientError({ code: closeError, message: reason || `Trace socket closed with ${code}` });
  }
  if (!facts.opened) {
    let refusal =
      facts.upgradeStatus === null ? null : { status: facts.upgradeStatus, message: facts.lastError };
    if (refusal === null && !state.probed) {
      state.probed = true;
      refusal = await probeUpgrade(context, project, buildId);
    }
    const status = refusal?.status ?? null;
    if (status === 404) return { kind: "fallback" };
    if (status !== null && status >= 400 && status < 500 && !TRANSIENT_UPGRADE_STATUSES.has(status)) {
      throw new ClientError({
        code: codeForStatus(status),
        status,
        message: refusal?.message || `${status}`,
      });
    }
  }
  return {
    kind: "reconnect",
    immediate: meaning?.reaction === "reconnect-now",
    progressed: facts.progressed,
    reason: facts.lastError || `closed with ${code}${reason ? ` (${reason})` : ""}`,
  };
}

// Browsers hide a refused upgrade's status; a plain GET of the same path tells 404 (no endpoint) apart.
async function probeUpgrade(
  context: TraceWatchContext,
  project: ProjectRef,
  buildId: number,
): Promise<{ status: number; message: string } | null> {
  try {
    const response = await context.transport.request({
      method: "GET",
      path: TRACE_WS_PATH,
      query: { project: String(project), build: buildId },
      responseType: "none",
    });
    return { status: response.status, message: "" };
  } catch (error) {
    return error instanceof ClientError && error.status !== null
      ? { status: error.status, message: error.message }
      : null;
  }
}

function parseWatcherMessage(data: string): ServerToWatcherMessage {
  const parsed = parseServerToWatcherMessage(data);
  if (parsed.ok) return parsed.value;
  throw new ClientError({
    code: "protocol",
    message: `Trace socket sent a message it should not (${parsed.error}): ${data.slice(0, 200)}`,
  });
}

function closeQuietly(socket: WebSocketLike): void {
  try {
    if (socket.readyState <= 1) socket.close(CLOSE_CODES.NORMAL);
  } catch {
    // Closing a socket that is still connecting may throw in some implementations; it is going away anyway.
  }
}
