// The request journal: every API request the server answered, kept in a bounded ring (oldest dropped
// first), filtered and verified with request matchers. It keeps references when a request ends and
// renders entries (redaction, query parsing) only when asked, so the request path pays almost nothing.

import type { IncomingHttpHeaders } from "node:http";
import { type JournalEntry, parseVerifyCount, type RequestMatcher, type VerifyCount } from "@buildsim/core";
import { ControlInputError } from "./control-input-error.js";
import { redactBody, redactHeaders, redactQuery } from "./redact-request.js";
import {
  bodyFieldsOf,
  type CompiledMatcher,
  compileMatcher,
  type MatchableRequest,
} from "./request-matcher.js";

/** How much the journal keeps. */
export interface RequestJournalOptions {
  /** Requests kept; older ones are dropped first. @default 1000 */
  maxEntries?: number;
  /** Body bytes kept per request. @default 8192 */
  maxBodyBytes?: number;
}

/** What the HTTP layer hands the journal when a request ends. */
export interface FinishedRequest {
  id: string;
  method: string;
  rawUrl: string;
  headers: IncomingHttpHeaders;
  /** The body as read (cut by the journal), or undefined when it was not read (streamed uploads, refusals). */
  body: Buffer | undefined;
  /** The full body size, when known. */
  bodyBytes: number;
  status: number;
  responseBytes: number;
  startedAtMs: number;
  durationMs: number;
  fault?: string;
}

/** What `check` found. */
export interface VerifyResult {
  ok: boolean;
  /** Requests that matched. */
  matched: number;
  /** Empty when ok; else what was expected, what matched, and how the closest requests differ. */
  message: string;
}

/** A failed `verify`: its message is the readable diff. */
export class RequestVerificationError extends Error {
  constructor(readonly result: VerifyResult) {
    super(result.message);
    this.name = "RequestVerificationError";
  }
}

interface Stored extends FinishedRequest {
  rendered?: JournalEntry & MatchableRequest;
}

/** Near misses listed in a failed verify's message. */
const NEAR_MISSES = 5;

const countText = (c: VerifyCount): string =>
  typeof c === "number"
    ? `exactly ${c}`
    : [
        c.atLeast === undefined ? "" : `at least ${c.atLeast}`,
        c.atMost === undefined ? "" : `at most ${c.atMost}`,
      ]
        .filter(Boolean)
        .join(" and ") || "any number of";

const countOk = (c: VerifyCount, n: number): boolean =>
  typeof c === "number" ? n === c : (c.atLeast ?? 0) <= n && n <= (c.atMost ?? Number.POSITIVE_INFINITY);

/** The journal of one server. */
export class RequestJournal {
  readonly maxEntries: number;
  readonly maxBodyBytes: number;
  private ring: Stored[] = [];
  private start = 0;
  /** Requests dropped to stay within `maxEntries` since the last clear. */
  dropped = 0;

  constructor(options: RequestJournalOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 1000);
    this.maxBodyBytes = Math.max(0, options.maxBodyBytes ?? 8192);
  }

  /** Records a finished request (called by the HTTP layer). */
  record(request: FinishedRequest): void {
    // A copy of at most maxBodyBytes: a reference would keep the whole (up to 1 MiB) body alive.
    const body = request.body && Buffer.from(request.body.subarray(0, this.maxBodyBytes));
    const stored: Stored = { ...request, body };
    if (this.ring.length < this.maxEntries) {
      this.ring.push(stored);
      return;
    }
    this.ring[this.start] = stored;
    this.start = (this.start + 1) % this.maxEntries;
    this.dropped++;
  }

  /** Every kept request, oldest first (in the order they ended). */
  all(): JournalEntry[] {
    return this.inOrder().map((s) => plain(render(s)));
  }

  /** Kept requests matching `matcher`, oldest first; throws ControlInputError for a bad matcher. */
  find(matcher: RequestMatcher = {}): JournalEntry[] {
    const m = compileOrThrow(matcher, "matcher");
    return this.inOrder()
      .map(render)
      .filter((r) => m.matches(r))
      .map(plain);
  }

  /** How many kept requests match. */
  count(matcher: RequestMatcher = {}): number {
    const m = compileOrThrow(matcher, "matcher");
    return this.inOrder().filter((s) => m.matches(render(s))).length;
  }

  /** Whether `count` kept requests match `matcher`, with a readable diff when not. */
  check(count: VerifyCount, matcher: RequestMatcher): VerifyResult {
    const parsedCount = parseVerifyCount(count, "count");
    if (!parsedCount.ok) throw new ControlInputError(parsedCount.error);
    const m = compileOrThrow(matcher, "matcher");
    const entries = this.inOrder().map(render);
    const matched = entries.filter((r) => m.matches(r));
    if (countOk(parsedCount.value, matched.length)) return { ok: true, matched: matched.length, message: "" };
    const lines = [
      `Expected ${countText(parsedCount.value)} request(s) matching ${JSON.stringify(matcher)}, but ${matched.length} matched.`,
    ];
    for (const r of matched) lines.push(`  matched: ${r.method} ${r.path} → ${r.status}`);
    const misses = entries
      .filter((r) => !m.matches(r))
      .map((r) => ({ r, diff: m.mismatches(r) }))
      .sort((a, b) => a.diff.length - b.diff.length)
      .slice(0, NEAR_MISSES);
    if (misses.length > 0) lines.push("Closest other requests:");
    for (const { r, diff } of misses) {
      lines.push(`  ${r.method} ${r.path} → ${r.status}`);
      for (const d of diff) lines.push(`    ${d}`);
    }
    if (entries.length === 0) lines.push("The journal is empty.");
    if (this.dropped > 0) lines.push(`(${this.dropped} older request(s) were dropped from the journal.)`);
    return { ok: false, matched: matched.length, message: lines.join("\n") };
  }

  /** As `check`, throwing RequestVerificationError (message: the diff) when the count is wrong. */
  verify(count: VerifyCount, matcher: RequestMatcher): void {
    const result = this.check(count, matcher);
    if (!result.ok) throw new RequestVerificationError(result);
  }

  /** Forgets every request. */
  clear(): void {
    this.ring = [];
    this.start = 0;
    this.dropped = 0;
  }

  private inOrder(): Stored[] {
    return this.start === 0 ? this.ring : [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
  }
}

function compileOrThrow(matcher: unknown, prefix: string): CompiledMatcher {
  const compiled = compileMatcher(matcher, prefix);
  if (!compiled.ok) throw new ControlInputError(compiled.error);
  return compiled.value;
}

/** The entry as JSON shows it: the matcher's helper method left out. */
function plain(r: JournalEntry & MatchableRequest): JournalEntry {
  const { bodyFields: _, ...entry } = r;
  return entry;
}

function render(s: Stored): JournalEntry & MatchableRequest {
  if (s.rendered) return s.rendered;
  const q = s.rawUrl.indexOf("?");
  const contentType = typeof s.headers["content-type"] === "string" ? s.headers["content-type"] : undefined;
  const text = s.body ? redactBody(s.body.toString("utf8"), contentType) : "";
  let fields: Record<string, string> | undefined;
  s.rendered = {
    id: s.id,
    method: s.method,
    path: q < 0 ? s.rawUrl : s.rawUrl.slice(0, q),
    query: redactQuery(q < 0 ? "" : s.rawUrl.slice(q + 1)),
    headers: redactHeaders(s.headers),
    body: text,
    bodyBytes: s.bodyBytes,
    bodyTruncated: s.bodyBytes > (s.body?.byteLength ?? 0),
    status: s.status,
    responseBytes: s.responseBytes,
    startedAt: new Date(s.startedAtMs).toISOString(),
    durationMs: Math.round(s.durationMs * 1000) / 1000,
    ...(s.fault === undefined ? {} : { fault: s.fault }),
    bodyFields: () => {
      fields ??= bodyFieldsOf(text, contentType);
      return fields;
    },
  };
  return s.rendered;
}
