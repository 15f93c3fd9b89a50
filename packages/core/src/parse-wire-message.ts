// Reads untrusted WebSocket text frames into typed messages, checked against protocol.ts's schemas with
// compiled TypeBox checkers. Every side (server, runner, watcher) gets the same kind of result.

import type { Static, TObject } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import {
  RUNNER_TO_SERVER_SCHEMAS,
  type RunnerToServerMessage,
  SERVER_TO_EVENTS_WATCHER_SCHEMAS,
  SERVER_TO_RUNNER_SCHEMAS,
  SERVER_TO_WATCHER_SCHEMAS,
  type ServerToEventsWatcherMessage,
  type ServerToRunnerMessage,
  type ServerToWatcherMessage,
} from "./protocol.js";

/** A message, or why the frame is not one (for the peer's error message or a close reason). */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

type MessageParser<T> = (text: string) => ParseResult<T>;

/**
 * Compiles one checker per message type; a frame is dispatched on its `type`, so the trace path pays for
 * one JSON.parse and one small check (measured in packages/bench/src/parse-cost-bench.ts). Compiled on
 * first use, so a process that never reads a direction (the CLI's lint) never pays for it.
 */
function createMessageParser<M extends Record<string, TObject>>(
  schemas: M,
): MessageParser<Static<M[keyof M]>> {
  let compiled: Map<unknown, TypeCheck<TObject>> | undefined;
  return (text) => {
    compiled ??= new Map<unknown, TypeCheck<TObject>>(
      Object.entries(schemas).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]),
    );
    const checkers = compiled;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, error: "not JSON" };
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return { ok: false, error: "not a JSON object" };
    const type = (value as { type?: unknown }).type;
    const checker = checkers.get(type);
    if (!checker) return { ok: false, error: `unknown message type ${JSON.stringify(type) ?? "undefined"}` };
    if (checker.Check(value)) return { ok: true, value: value as Static<M[keyof M]> };
    const first = checker.Errors(value).First();
    return {
      ok: false,
      error: `${String(type)}: ${first ? `${first.path || "/"} ${first.message}` : "invalid"}`,
    };
  };
}

/** Parses a runner → server frame (the server reads these). */
export const parseRunnerToServerMessage: MessageParser<RunnerToServerMessage> =
  createMessageParser(RUNNER_TO_SERVER_SCHEMAS);

/** Parses a server → runner frame (the runner connection reads these). */
export const parseServerToRunnerMessage: MessageParser<ServerToRunnerMessage> =
  createMessageParser(SERVER_TO_RUNNER_SCHEMAS);

/** Parses a server → watcher frame (`watchTrace` reads these). */
export const parseServerToWatcherMessage: MessageParser<ServerToWatcherMessage> =
  createMessageParser(SERVER_TO_WATCHER_SCHEMAS);

/** Parses a server → project-events frame (`watchProjectEvents` reads these). */
export const parseServerToEventsWatcherMessage: MessageParser<ServerToEventsWatcherMessage> =
  createMessageParser(SERVER_TO_EVENTS_WATCHER_SCHEMAS);
