// Small TypeBox builders the wire and REST schemas share: nullable values, literal unions, ids, counts.

import { type TLiteral, type TNull, type TSchema, type TUnion, Type } from "@sinclair/typebox";

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

/** Standard base64 with padding, as `Buffer#toString("base64")` writes it (trace bytes on the wire). */
export const Base64 = (description?: string) =>
  Type.String({
    pattern: "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
    contentEncoding: "base64",
    ...(description ? { description } : {}),
  });
