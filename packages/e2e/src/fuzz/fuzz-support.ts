// What the fuzz suites share: a server process to attack, its memory, raw HTTP requests that any
// bytes can be put into, and one line of figures per suite for the README's reliability table.

import { appendFileSync, readFileSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { onPostgres } from "../../../../scripts/test-database.mjs";

/** Resident memory of process `pid` in MiB (Linux `/proc/<pid>/status`). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

/** One request exactly as generated: any method, target, headers and body bytes. */
export interface RawCase {
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** Sends `c` to `baseUrl` (loopback); a connection the server closes counts as status 0. */
export function sendRaw(baseUrl: string, c: RawCase): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const req = request(`${baseUrl}${c.target}`, {
      method: c.method,
      headers: { ...c.headers, ...(c.body ? { "Content-Length": String(c.body.byteLength) } : {}) },
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers["content-type"] ?? ""),
          text: Buffer.concat(chunks).toString(),
        }),
      );
      res.on("error", () => resolve({ status: 0, contentType: "", text: "" }));
    });
    req.on("error", () => resolve({ status: 0, contentType: "", text: "" }));
    req.end(c.body);
  });
}

/**
 * True for GitLab's error bodies: `{"message": "<status> …"}`, `{"message": {attr: [..]}}` (validation),
 * `{"error": "…"}` (Grape, the JSON middleware, OAuth's insufficient_scope).
 */
export function isGitLabError(text: string, status?: number): boolean {
  // GitLab's HandleMalformedStrings middleware answers a null byte in the path or params before the API:
  // `[400, { 'Content-Type' => 'text/plain' }, ['Bad Request']]`.
  if (status === 400 && text === "Bad Request") return true;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) return false;
  const b = body as { message?: unknown; error?: unknown };
  return (
    typeof b.error === "string" ||
    typeof b.message === "string" ||
    (typeof b.message === "object" && b.message !== null)
  );
}

const RESULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fuzz-results.jsonl");

/** Appends one suite's figures to `packages/e2e/fuzz-results.jsonl` (the README table is made from it). */
export function recordFigures(suite: string, figures: Record<string, number | string>): void {
  const backend = onPostgres() ? "postgres" : "sqlite";
  appendFileSync(
    RESULTS,
    `${JSON.stringify({ suite, backend, at: new Date().toISOString(), ...figures })}\n`,
  );
}
