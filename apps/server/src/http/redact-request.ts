// What the request journal must never keep in the clear: the credentials GitLab accepts in headers,
// query parameters and body fields (lib/api/helpers/authentication.rb, the runner API's `token`).

import type { IncomingHttpHeaders } from "node:http";
import { queryRecord } from "./request-matcher.js";

/** What a secret is shown as. */
export const REDACTED = "[REDACTED]";

/** Headers carrying credentials: GitLab's token headers, OAuth bearer/basic, cookies. */
const SECRET_HEADERS = new Set([
  "private-token",
  "job-token",
  "authorization",
  "cookie",
  "proxy-authorization",
]);

/** Query and body fields carrying credentials (the runner API sends its token as `token`). */
const SECRET_FIELDS = new Set(["private_token", "job_token", "access_token", "token"]);

/** Headers as single strings (repeated ones joined), lower-case names, secrets redacted. */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_HEADERS.has(name) ? REDACTED : Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/** Query parameters (repeated ones as arrays), secrets redacted. */
export function redactQuery(search: string): Record<string, string | string[]> {
  return queryRecord(search, (k, v) => (SECRET_FIELDS.has(k) ? REDACTED : v));
}

/** A JSON object or form body with its secret fields redacted; other bodies as they are. */
export function redactBody(text: string, contentType: string | undefined): string {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams(text);
    if (![...form.keys()].some((k) => SECRET_FIELDS.has(k))) return text;
    for (const k of SECRET_FIELDS) if (form.has(k)) form.set(k, REDACTED);
    return form.toString();
  }
  if (type !== "application/json") return text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // A cut or broken body cannot be parsed: blank anything that looks like a secret field's value.
    return text.replace(
      /("(?:private_token|job_token|access_token|token)"\s*:\s*)"[^"]*"?/g,
      `$1"${REDACTED}"`,
    );
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return text;
  const record = value as Record<string, unknown>;
  if (!Object.keys(record).some((k) => SECRET_FIELDS.has(k))) return text;
  for (const k of SECRET_FIELDS) if (k in record) record[k] = REDACTED;
  return JSON.stringify(record);
}
