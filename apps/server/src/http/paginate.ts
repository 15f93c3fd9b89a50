// GitLab 8.x pagination: `page`/`per_page` as Grape Integers, Kaminari's defaults (20, max 100, values
// ≤ 0 ignored), and the seven headers including a `Link` that keeps every param of the request.

import { ApiError } from "./api-error.js";
import { type Params, type ParamValue, toQuery } from "./parse-query.js";

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;

/** A validated page request. `page` is a bigint because clients may ask for any page number. */
export interface PageRequest {
  page: bigint;
  perPage: number;
}

const INTEGER = /^\s*[+-]?\d+\s*$/;
const MAX_PER_PAGE_BIG = BigInt(MAX_PER_PAGE);

/** 1–15 ASCII digits: the usual page values, checked without a regex. */
function isShortDigits(v: string): boolean {
  if (v.length === 0 || v.length > 15) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Grape `Integer` coercion: undefined when absent or blank; 400 `<name> is invalid` otherwise. */
function integerParam(params: Params, name: string): bigint | undefined {
  const v: ParamValue | undefined = params[name];
  if (v === undefined || v === "") return undefined;
  if (typeof v !== "string") throw ApiError.invalidParam(`${name} is invalid`);
  if (isShortDigits(v)) return BigInt(Number(v));
  if (!INTEGER.test(v)) throw ApiError.invalidParam(`${name} is invalid`);
  // Short values (every real page size) avoid parsing a BigInt from text.
  return v.length < 16 ? BigInt(Number(v)) : BigInt(v.trim());
}

/** Reads `page` and `per_page` (validation errors are 400s, raised before any lookup). */
export function parsePageRequest(params: Params): PageRequest {
  const page = integerParam(params, "page");
  const perPage = integerParam(params, "per_page");
  let size = DEFAULT_PER_PAGE;
  if (perPage !== undefined && perPage > 0n)
    size = perPage > MAX_PER_PAGE_BIG ? MAX_PER_PAGE : Number(perPage);
  return { page: page !== undefined && page > 0n ? page : 1n, perPage: size };
}

/** LIMIT/OFFSET for the page, or null when the page lies past any possible row. */
export function pageWindow(req: PageRequest, total: number): { limit: number; offset: number } | null {
  const offset = (req.page - 1n) * BigInt(req.perPage);
  if (offset >= BigInt(total)) return null;
  return { limit: req.perPage, offset: Number(offset) };
}

/**
 * The seven pagination headers. `baseUrl` is the request URL without its query; `params` every param of
 * the request (route params included), which the `Link` URLs carry with `page`/`per_page` replaced.
 */
export function paginationHeaders(
  req: PageRequest,
  total: number,
  baseUrl: string,
  params: Params,
  /** GitLab 9.5+ (Kaminari 1.x) never reports fewer than 1 page; 8.x says 0 for an empty list. */
  minTotalPages = 0,
): string[] {
  const totalPages = BigInt(Math.max(minTotalPages, Math.ceil(total / req.perPage)));
  const page = req.page;
  const link = (p: bigint) => {
    const query = toQuery({ ...params, page: String(p), per_page: String(req.perPage) });
    return `<${baseUrl}?${query}>`;
  };
  const links: string[] = [];
  if (page > 1n) links.push(`${link(page - 1n)}; rel="prev"`);
  if (page < totalPages) links.push(`${link(page + 1n)}; rel="next"`);
  links.push(`${link(1n)}; rel="first"`);
  links.push(`${link(totalPages)}; rel="last"`);
  return [
    "X-Total",
    String(total),
    "X-Total-Pages",
    String(totalPages),
    "X-Per-Page",
    String(req.perPage),
    "X-Page",
    String(page),
    "X-Next-Page",
    page < totalPages ? String(page + 1n) : "",
    "X-Prev-Page",
    page > 1n ? String(page - 1n) : "",
    "Link",
    links.join(", "),
  ];
}
