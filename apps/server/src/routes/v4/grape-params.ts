// Grape's coercion of `String` and `Boolean` params, shared by the v4 routes that take form or JSON params.

import { ApiError } from "../../http/api-error.js";
import type { Params, ParamValue } from "../../http/parse-query.js";

/** Grape's `String` param: absent → undefined; anything but a string → `<name> is invalid`. */
export function stringParam(params: Params, name: string): string | undefined {
  const v: ParamValue | undefined = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw ApiError.invalidParam(`${name} is invalid`);
  return v;
}

/** Grape's `Boolean` coercion (`true`/`false`/`1`/`0`…). */
export function booleanParam(params: Params, name: string): boolean | undefined {
  const v = stringParam(params, name);
  if (v === undefined) return undefined;
  if (/^(true|1|t|yes|y)$/i.test(v)) return true;
  if (/^(false|0|f|no|n)$/i.test(v)) return false;
  throw ApiError.invalidParam(`${name} is invalid`);
}
