// Request matchers, compiled once: the journal's filters and `verify`, and the fault rules, all ask the
// same question of a request and, for a failed `verify`, say which fields did not match.

import type { IncomingHttpHeaders } from "node:http";
import { type ControlInput, parseRequestMatcher, type RequestMatcher } from "@buildsim/core";

/** The parts of a request a matcher reads (the journal's entries and live requests alike). */
export interface MatchableRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** Body text ("" when none or not read yet). */
  body: string;
  /** The body's top-level fields (JSON object or form), as text. */
  bodyFields(): Record<string, string>;
  /** Response status, when known. */
  status?: number;
}

/** A matcher ready to test requests. */
export interface CompiledMatcher {
  readonly source: RequestMatcher;
  /** Whether the matcher needs the request body (fault rules then wait for it). */
  readonly readsBody: boolean;
  matches(request: MatchableRequest): boolean;
  /** Each field that does not match, as `field: wanted …, got …` (empty when it matches). */
  mismatches(request: MatchableRequest): string[];
}

/** `/projects/:id/jobs/*` → a regular expression over the raw path. */
function templateRegex(template: string): RegExp {
  const source = template
    .split("/")
    .map((seg) => {
      if (seg === "*") return ".*";
      if (seg.startsWith(":")) return "[^/]+";
      return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}$`);
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const show = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));

/** Checks and compiles `value` (untrusted input); the error names the field under `prefix`. */
export function compileMatcher(value: unknown, prefix: string): ControlInput<CompiledMatcher> {
  const parsed = parseRequestMatcher(value, prefix);
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  let pattern: RegExp | undefined;
  if (m.pathPattern !== undefined) {
    try {
      pattern = new RegExp(m.pathPattern);
    } catch (e) {
      return {
        ok: false,
        error: `${prefix}.pathPattern is not a valid regular expression (${(e as Error).message})`,
      };
    }
  }
  const template = m.path === undefined ? undefined : templateRegex(m.path);
  const method = m.method?.toUpperCase();
  const headers = Object.entries(m.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const);

  function mismatches(r: MatchableRequest): string[] {
    const out: string[] = [];
    if (method !== undefined && r.method !== method) out.push(`method: wanted ${method}, got ${r.method}`);
    if (template && !template.test(r.path)) out.push(`path: wanted ${m.path}, got ${r.path}`);
    if (pattern && !pattern.test(r.path)) out.push(`pathPattern: wanted /${m.pathPattern}/, got ${r.path}`);
    for (const [k, v] of Object.entries(m.query ?? {})) {
      const got = r.query[k];
      const ok = Array.isArray(got) ? got.includes(v) : got === v;
      if (!ok) out.push(`query.${k}: wanted ${show(v)}, got ${show(got)}`);
    }
    for (const [k, v] of headers) {
      const got = first(r.headers[k]);
      if (got !== v) out.push(`headers.${k}: wanted ${show(v)}, got ${show(got)}`);
    }
    if (m.bodyContains !== undefined && !r.body.includes(m.bodyContains))
      out.push(`bodyContains: wanted ${show(m.bodyContains)} in ${show(r.body.slice(0, 200))}`);
    if (m.bodyFields) {
      const fields = r.bodyFields();
      for (const [k, v] of Object.entries(m.bodyFields))
        if (fields[k] !== v) out.push(`bodyFields.${k}: wanted ${show(v)}, got ${show(fields[k])}`);
    }
    if (m.status !== undefined && r.status !== m.status)
      out.push(`status: wanted ${m.status}, got ${show(r.status)}`);
    return out;
  }

  return {
    ok: true,
    value: {
      source: m,
      readsBody: m.bodyContains !== undefined || m.bodyFields !== undefined,
      mismatches,
      matches: (r) => mismatches(r).length === 0,
    },
  };
}

/** Top-level fields of a JSON object or urlencoded form body, as text (nested values as JSON). */
export function bodyFieldsOf(body: string, contentType: string | undefined): Record<string, string> {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const out: Record<string, string> = {};
  if (body === "") return out;
  if (type === "application/x-www-form-urlencoded") {
    for (const [k, v] of new URLSearchParams(body)) out[k] ??= v;
    return out;
  }
  if (type !== "application/json") return out;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return out;
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

/** A query string as parameters, repeated ones as arrays (values passed through `map`). */
export function queryRecord(search: string, map: (key: string, value: string) => string = (_k, v) => v) {
  const out: Record<string, string | string[]> = {};
  if (search === "") return out;
  for (const [k, raw] of new URLSearchParams(search)) {
    const v = map(k, raw);
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** A live request as matchers see it (fault rules decide on these). */
export function matchableOf(
  method: string,
  path: string,
  search: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): MatchableRequest {
  const text = body.byteLength === 0 ? "" : body.toString("utf8");
  let fields: Record<string, string> | undefined;
  return {
    method,
    path,
    query: queryRecord(search),
    headers,
    body: text,
    bodyFields: () => {
      fields ??= bodyFieldsOf(
        text,
        typeof headers["content-type"] === "string" ? headers["content-type"] : undefined,
      );
      return fields;
    },
  };
}
