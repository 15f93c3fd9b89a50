// Small TypeBox builders the wire and REST schemas share: nullable values, literal unions, ids, counts.

import {
  FormatRegistry,
  type TLiteral,
  type TNull,
  type TSchema,
  type TUnion,
  Type,
} from "@sinclair/typebox";

/** `T | null`, as GitLab's entities write absent values. */
export const Nullable = <T extends TSchema>(schema: T): TUnion<[T, TNull]> =>
  Type.Union([schema, Type.Null()]);

/** One of a list of string constants (a status, a reason), as a JSON Schema `anyOf` of `const`s. */
export const LiteralUnion = <const V extends readonly string[]>(
  values: V,
  options: { description?: string } = {},
): TUnion<TLiteral<V[number]>[]> =>
  Type.Union(
    values.map((v) => Type.Literal(v as V[number])),
    options,
  );

/** A database id: a positive safe integer. */
export const Id = (description?: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...(description ? { description } : {}) });

/** A byte count or offset: a non-negative safe integer. */
export const Count = (description?: string) =>
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...(description ? { description } : {}) });

/** 1 for the 64 characters of the standard base64 alphabet, by char code. */
const BASE64_ALPHABET = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
  BASE64_ALPHABET[c.charCodeAt(0)] = 1;

/**
 * Standard base64 with padding, as `Buffer#toString("base64")` writes it: whole groups of 4 alphabet
 * characters, the last group ending in at most two `=`. It accepts exactly what the pattern
 * `(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?` does (a test compares them), with a
 * lookup table: that regular expression cost 4× the frame's `JSON.parse` on a 1 KiB trace chunk.
 */
export function isBase64(text: string): boolean {
  const n = text.length;
  if (n % 4 !== 0) return false;
  let end = n;
  if (n > 0 && text.charCodeAt(n - 1) === 61) end = text.charCodeAt(n - 2) === 61 ? n - 2 : n - 1;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || BASE64_ALPHABET[c] === 0) return false;
  }
  return true;
}

// TypeBox checks a string `format` through this registry (compiled checkers included).
FormatRegistry.Set("base64", isBase64);

/** Standard base64 with padding (see {@link isBase64}): trace bytes on the wire. */
export const Base64 = (description?: string) =>
  Type.String({
    format: "base64",
    contentEncoding: "base64",
    ...(description ? { description } : {}),
  });
