// Reads one text frame from the server as a typed runner message, or null when it is not one.

import type { ServerToRunnerMessage } from "@buildsim/core";

const isInt = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
const isString = (value: unknown): value is string => typeof value === "string";

/** Parses a server → runner message; returns null for invalid JSON or a message of the wrong shape. */
export function parseServerToRunnerMessage(text: string): ServerToRunnerMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case "welcome":
      return isInt(m.runnerId) && Array.isArray(m.resume) && typeof m.heartbeatIntervalMs === "number"
        ? (m as unknown as ServerToRunnerMessage)
        : null;
    case "job":
      return isString(m.requestId) && typeof m.job === "object" && m.job !== null
        ? (m as unknown as ServerToRunnerMessage)
        : null;
    case "noJob":
      return isString(m.requestId) ? (m as unknown as ServerToRunnerMessage) : null;
    case "traceAck":
      return isInt(m.buildId) && isInt(m.length) ? (m as unknown as ServerToRunnerMessage) : null;
    case "cancel":
      return isInt(m.buildId) && (m.reason === "canceled" || m.reason === "timeout")
        ? (m as unknown as ServerToRunnerMessage)
        : null;
    case "finishAck":
      return isInt(m.buildId) && isString(m.status) ? (m as unknown as ServerToRunnerMessage) : null;
    case "error":
      return isString(m.code) && isString(m.message) ? (m as unknown as ServerToRunnerMessage) : null;
    default:
      return null;
  }
}
