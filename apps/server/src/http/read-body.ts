// Reads a request body up to a limit and turns JSON or form bodies into params.

import type { IncomingMessage } from "node:http";
import { ApiError } from "./api-error.js";
import { exceedsJsonDepth } from "./json-depth.js";
import { type Params, type ParamValue, parseQuery, QueryParseError, setOwn } from "./parse-query.js";

/** Default `maxBodyBytes`: API bodies are tiny; artifacts do not come through the v3 API. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Default `maxAnonymousBodyBytes`: room for a form or JSON body carrying `private_token`, no more. */
export const DEFAULT_MAX_ANONYMOUS_BODY_BYTES = 64 * 1024;

/** The body's bytes; rejects with 413 past `maxBytes` (the rest of the body is drained, not stored). */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  // Refused unread: the 413 closes the connection, so the rest of the body is never taken in.
  if (Number.isFinite(declared) && declared > maxBytes)
    return Promise.reject(ApiError.of("PAYLOAD_TOO_LARGE"));
  if (declared === 0 || (req.headers["content-length"] === undefined && !req.headers["transfer-encoding"]))
    return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.byteLength;
      if (size > maxBytes) {
        // Answer at once and take in nothing more: the 413 closes the connection.
        tooLarge = true;
        chunks.length = 0;
        req.pause();
        reject(ApiError.of("PAYLOAD_TOO_LARGE"));
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on("end", () => {
      ended = true;
      if (!tooLarge) resolve(Buffer.concat(chunks, size));
    });
    // A client that goes away mid-body is not a server error: no 500, no log line, nothing stored.
    const incomplete = () => {
      if (!ended) reject(ApiError.invalidParam("The request body is incomplete"));
    };
    req.on("error", incomplete);
    req.on("close", incomplete);
  });
}

function toParamValue(v: unknown): ParamValue | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return v.map(toParamValue).filter((x): x is ParamValue => x !== undefined);
  if (typeof v === "object") {
    const out: Params = {};
    for (const [k, val] of Object.entries(v)) {
      const p = toParamValue(val);
      if (p !== undefined) setOwn(out, k, p);
    }
    return out;
  }
  return undefined;
}

/**
 * A JSON object body with its JSON types kept (numbers, booleans and null, which params turn into strings
 * or drop), or undefined when the body is no JSON object. For what Grape keeps as parsed: a Hash param's
 * values, a trigger's payload. Call after {@link bodyParams} accepted the body.
 */
export function jsonBodyObject(
  body: Buffer,
  contentType: string | undefined,
): Record<string, unknown> | undefined {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" || body.byteLength === 0) return undefined;
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Params carried by a body: a JSON object or a urlencoded form; other bodies carry none. */
export function bodyParams(body: Buffer, contentType: string | undefined): Params {
  const out: Params = {};
  if (body.byteLength === 0) return out;
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") {
    const text = body.toString("utf8");
    // GitLab's middleware refuses deep nesting before parsing; JSON.parse and toParamValue recurse.
    if (exceedsJsonDepth(text)) throw ApiError.of("JSON_TOO_DEEP");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw ApiError.invalidParam("The request body is not valid JSON");
    }
    if (value && typeof value === "object" && !Array.isArray(value)) return toParamValue(value) as Params;
    return out;
  }
  if (type === "application/x-www-form-urlencoded") {
    try {
      return parseQuery(body.toString("utf8")).params;
    } catch (e) {
      if (e instanceof QueryParseError) throw ApiError.invalidParam(e.message);
      throw e;
    }
  }
  return out;
}
