// Paginated lists: one page with its parsed headers, or every item by following `Link: <…>; rel="next"`.

import type { HttpTransport, ResponseHeaders } from "./http-transport.js";
import type { ArrayFormat, QueryParams } from "./query-string.js";

/** GitLab's pagination headers, parsed. Numbers are `null` when a header is missing or empty. */
export interface Pagination {
  /** `X-Total` */
  total: number | null;
  /** `X-Total-Pages` */
  totalPages: number | null;
  /** `X-Per-Page` */
  perPage: number | null;
  /** `X-Page` */
  page: number | null;
  /** `X-Next-Page` (empty on the last page → null) */
  nextPage: number | null;
  /** `X-Prev-Page` (empty on page 1 → null) */
  prevPage: number | null;
  /** `Link` targets by rel (`next`, `prev`, `first`, `last`), as absolute URLs. */
  links: Readonly<Record<string, string>>;
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  pagination: Pagination;
}

/** Options every list method takes. */
export interface PageOptions {
  /** First page to fetch (GitLab counts from 1). @default 1 */
  page?: number;
  /** Items per page; GitLab caps it at 100. @default the server's (20) */
  perPage?: number;
  /** Stop following `Link` after this many pages. @default unlimited */
  maxPages?: number;
  signal?: AbortSignal;
}

/** Parses an RFC 8288 `Link` header into `{ rel: url }`. */
export function parseLinkHeader(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const match of header.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]+)*)/g)) {
    const url = match[1]!;
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(match[2] ?? "")?.[1];
    if (!rel) continue;
    for (const name of rel.trim().split(/\s+/)) links[name] = url;
  }
  return links;
}

function headerNumber(headers: ResponseHeaders, name: string): number | null {
  const value = headers.get(name);
  if (value === null || value.trim() === "") return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

/** Reads the seven pagination headers GitLab sends on every list. */
export function parsePagination(headers: ResponseHeaders): Pagination {
  return {
    total: headerNumber(headers, "x-total"),
    totalPages: headerNumber(headers, "x-total-pages"),
    perPage: headerNumber(headers, "x-per-page"),
    page: headerNumber(headers, "x-page"),
    nextPage: headerNumber(headers, "x-next-page"),
    prevPage: headerNumber(headers, "x-prev-page"),
    links: parseLinkHeader(headers.get("link")),
  };
}

/** What a list method hands to PagedList: where the first page lives. */
export interface ListRequest {
  path: string;
  query?: QueryParams;
  arrayFormat?: ArrayFormat;
}

/**
 * A list result. Iterate it (`for await`) for every item across pages, call `fetchPage()` for one page
 * with its headers, `pages()` for page objects, or `toArray()` to collect everything. Nothing is
 * requested until one of these is used; each use starts again from the first page.
 */
export class PagedList<T> implements AsyncIterable<T> {
  readonly #transport: HttpTransport;
  readonly #request: ListRequest;
  readonly #options: PageOptions;

  constructor(transport: HttpTransport, request: ListRequest, options: PageOptions = {}) {
    this.#transport = transport;
    this.#request = request;
    this.#options = options;
  }

  /** The first requested page (`page`, default 1) with its parsed pagination headers. */
  async fetchPage(): Promise<Page<T>> {
    const query = { ...this.#request.query, page: this.#options.page, per_page: this.#options.perPage };
    return this.#get(this.#request.path, query);
  }

  /** Every page, following `rel="next"` until there is none or `maxPages` is reached. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let page = await this.fetchPage();
    let fetched = 1;
    yield page;
    while (page.pagination.links.next !== undefined && fetched < (this.#options.maxPages ?? Infinity)) {
      page = await this.#get(page.pagination.links.next);
      fetched++;
      yield page;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Every item of every page. */
  async toArray(): Promise<T[]> {
    const items: T[] = [];
    for await (const item of this) items.push(item);
    return items;
  }

  async #get(path: string, query?: QueryParams): Promise<Page<T>> {
    const response = await this.#transport.request<T[] | null>({
      method: "GET",
      path,
      query,
      arrayFormat: this.#request.arrayFormat,
      signal: this.#options.signal,
    });
    return { items: response.data ?? [], pagination: parsePagination(response.headers) };
  }
}
