// The contract-testing controls' shapes (issue #15): request matchers, journal entries and verify counts,
// shared by the server's admin API, its in-process handle and @buildsim/testing. Derived types below.

import type { Static, TSchema } from "@sinclair/typebox";
import { Type } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Count } from "./schema-helpers.js";

/** Field name → expected value (header names match case-insensitively). */
const ValueMap = (description: string) => Type.Record(Type.String(), Type.String(), { description });

/**
 * Which requests a filter, a `verify` or a fault rule is about. Every field present must match; an empty
 * matcher matches every request.
 */
export const RequestMatcherSchema = Type.Object(
  {
    method: Type.Optional(
      Type.String({ pattern: "^[A-Za-z]+$", description: "HTTP method, any case (`GET`, `post`)" }),
    ),
    path: Type.Optional(
      Type.String({
        pattern: "^/",
        description:
          "A path template, like the API docs write them: `:name` matches one segment, `*` the rest (`/api/v4/projects/:id/jobs/*`)",
      }),
    ),
    pathPattern: Type.Optional(
      Type.String({ minLength: 1, description: "A regular expression the raw path (no query) must match" }),
    ),
    query: Type.Optional(ValueMap("Query parameters that must have exactly these values")),
    headers: Type.Optional(ValueMap("Request headers that must have exactly these values")),
    bodyContains: Type.Optional(Type.String({ description: "Text the request body must contain" })),
    bodyFields: Type.Optional(
      ValueMap("Top-level fields of a JSON or form body that must have these values (as text)"),
    ),
    status: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 599, description: "Response status (journal only)" }),
    ),
  },
  { additionalProperties: false },
);
/** Which requests a filter, a `verify` or a fault rule is about. */
export type RequestMatcher = Static<typeof RequestMatcherSchema>;

/** One request as the journal recorded it (tokens redacted, body bounded). */
export const JournalEntrySchema = Type.Object({
  id: Type.String({ description: "The request id (`X-Request-Id` of error replies)" }),
  method: Type.String(),
  path: Type.String({ description: "The raw path, without the query" }),
  query: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])),
  headers: Type.Record(Type.String(), Type.String(), {
    description: "Lower-case names; PRIVATE-TOKEN, JOB-TOKEN, Authorization and cookies as `[REDACTED]`",
  }),
  body: Type.String({ description: "The body as UTF-8 text, cut at the journal's body limit" }),
  bodyBytes: Count("The body's full size"),
  bodyTruncated: Type.Boolean(),
  status: Type.Integer({ description: "Response status; 0 when the connection ended without one" }),
  responseBytes: Count("Response body bytes written"),
  startedAt: Type.String({ description: "ISO 8601, when the request arrived" }),
  durationMs: Type.Number({ description: "From arrival to the response's last byte handed to the socket" }),
  fault: Type.Optional(Type.String({ description: "The fault rule that answered or broke this request" })),
});
/** One request as the journal recorded it. */
export type JournalEntry = Static<typeof JournalEntrySchema>;

/** How many matching requests `verify` expects: exactly n, or a range. */
export const VerifyCountSchema = Type.Union([
  Count("Exactly this many"),
  Type.Object(
    { atLeast: Type.Optional(Count()), atMost: Type.Optional(Count()) },
    { additionalProperties: false },
  ),
]);
/** How many matching requests `verify` expects. */
export type VerifyCount = Static<typeof VerifyCountSchema>;

/** A control's input, or the first problem with it, naming the field (`matcher.method`). */
export type ControlInput<T> = { ok: true; value: T } | { ok: false; error: string };

/** `/headers/x-y` under `matcher` → `matcher.headers.x-y`. */
const fieldName = (prefix: string, pointer: string): string =>
  [
    prefix,
    ...pointer
      .split("/")
      .filter(Boolean)
      .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")),
  ].join(".");

/** A parser for control input of `schema`; errors name the field under `prefix`. */
export function createControlInputParser<S extends TSchema>(
  schema: S,
): (value: unknown, prefix: string) => ControlInput<Static<S>> {
  let checker: ReturnType<typeof TypeCompiler.Compile<S>> | undefined;
  return (value, prefix) => {
    checker ??= TypeCompiler.Compile(schema);
    if (checker.Check(value)) return { ok: true, value };
    const first = checker.Errors(value).First();
    if (!first) return { ok: false, error: `${prefix} is invalid` };
    // An unknown field is reported by TypeBox on the object with the field's own path.
    const message = first.message === "Unexpected property" ? "is not a known field" : "is invalid";
    return { ok: false, error: `${fieldName(prefix, first.path)} ${message} (${first.message})` };
  };
}

/** Checks a request matcher (shape only; the server also compiles `pathPattern`). */
export const parseRequestMatcher = createControlInputParser(RequestMatcherSchema);
/** Checks a verify count. */
export const parseVerifyCount = createControlInputParser(VerifyCountSchema);
