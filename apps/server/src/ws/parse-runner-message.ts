// Reads a runner's text frame into a typed message, or says why it is not one (untrusted input).

import { isFailureReason, type RunnerToServerMessage } from "@buildsim/core";

export type ParseRunnerMessageResult =
  | { ok: true; message: RunnerToServerMessage }
  | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isOffset = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
// Standard base64 with padding, as Buffer#toString("base64") writes it: anything else would be stored
// as whatever `Buffer.from` made of it.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const isBase64 = (v: unknown): v is string => typeof v === "string" && BASE64.test(v);
const isOptionalString = (v: unknown) => v === undefined || typeof v === "string";

/** Parses one frame from a runner. */
export function parseRunnerMessage(text: string): ParseRunnerMessageResult {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return { ok: false, error: "not JSON" };
  }
  if (!isObject(m)) return { ok: false, error: "not a JSON object" };
  const bad = (what: string): ParseRunnerMessageResult => ({
    ok: false,
    error: `${String(m.type)}: ${what}`,
  });
  switch (m.type) {
    case "hello":
      if (!Number.isInteger(m.protocol)) return bad("protocol must be an integer");
      if (typeof m.token !== "string") return bad("token must be a string");
      if (!isOptionalString(m.name) || !isOptionalString(m.version) || !isOptionalString(m.executor))
        return bad("name, version and executor must be strings");
      if (m.tags !== undefined && !(Array.isArray(m.tags) && m.tags.every((t) => typeof t === "string")))
        return bad("tags must be an array of strings");
      return { ok: true, message: m as unknown as RunnerToServerMessage };
    case "claim":
      if (typeof m.requestId !== "string") return bad("requestId must be a string");
      if (m.waitMs !== undefined && !isOffset(m.waitMs)) return bad("waitMs must be a whole number");
      return { ok: true, message: m as unknown as RunnerToServerMessage };
    case "trace":
      if (!isId(m.buildId) || !isOffset(m.offset) || typeof m.data !== "string")
        return bad("needs buildId, offset and base64 data");
      if (!isBase64(m.data)) return bad("data is not base64");
      return { ok: true, message: m as unknown as RunnerToServerMessage };
    case "heartbeat":
      if (!Array.isArray(m.buildIds) || !m.buildIds.every(isId)) return bad("buildIds must be build ids");
      return { ok: true, message: m as unknown as RunnerToServerMessage };
    case "finish":
      if (!isId(m.buildId)) return bad("buildId must be a build id");
      if (m.state !== "success" && m.state !== "failed") return bad("state must be success or failed");
      if (m.exitCode !== null && m.exitCode !== undefined && !Number.isInteger(m.exitCode))
        return bad("exitCode must be an integer or null");
      if (m.failureReason !== undefined && !isFailureReason(m.failureReason))
        return bad("failureReason must be one of GitLab's failure reasons");
      if (!isOffset(m.traceBytes)) return bad("traceBytes must be a whole number");
      if (m.dotenvVariables !== undefined && !isDotenvList(m.dotenvVariables))
        return bad("dotenvVariables must be a list of {key, value} strings");
      return { ok: true, message: m as unknown as RunnerToServerMessage };
    default:
      return { ok: false, error: `unknown message type ${JSON.stringify(m.type)}` };
  }
}

/** `[{key, value}]` with string keys (a variable name) and string values. */
function isDotenvList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (v) =>
        typeof v === "object" &&
        v !== null &&
        typeof (v as { key?: unknown }).key === "string" &&
        /^[A-Za-z_][A-Za-z0-9_]*$/.test((v as { key: string }).key) &&
        typeof (v as { value?: unknown }).value === "string",
    )
  );
}
