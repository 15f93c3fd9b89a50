// The HTTP layer under every typed method: auth, timeouts, GitLab error mapping and the GET-only retry policy.

import { type BackoffOptions, backoffDelayMs, DEFAULT_MAX_DELAY_MS } from "@buildsim/core";
import { abortedError, sleep as defaultSleep, parseRetryAfterMs, type SleepFn } from "./backoff.js";
import { ClientError, errorFromResponse } from "./client-error.js";
import { type ArrayFormat, buildQueryString, type QueryParams } from "./query-string.js";

/** The request options the transport hands `fetch` (a WHATWG `RequestInit` of this shape). */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** Response headers as the client reads them (a WHATWG `Headers` is one). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

/** The part of a WHATWG `Response` the client reads (what `globalThis.fetch` returns is one). */
export interface FetchResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: ResponseHeaders;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
  readonly body?: { cancel(): Promise<void> } | null;
}

/**
 * The subset of WHATWG `fetch` the client uses (`globalThis.fetch` is one); inject your own (tests,
 * proxies, instrumentation, or node:http where Node's fetch costs too much CPU per request).
 */
export type FetchFn = (input: string, init: FetchInit) => Promise<FetchResponse>;

/** Retry policy for idempotent requests (GET/HEAD). POST, PUT and DELETE are never retried. */
export interface RetryOptions extends BackoffOptions {
  /** Retries after the first attempt. @default 3 */
  maxRetries?: number;
  /** Statuses worth another try. Network errors are always retried. @default [429, 502, 503] */
  retryOnStatuses?: readonly number[];
}

export interface HttpTransportOptions {
  /** Server root, e.g. `http://127.0.0.1:8080` or `https://gitlab.example.com` (no `/api/v4`). */
  baseUrl: string;
  /** Personal/private token, sent as `PRIVATE-TOKEN`. */
  token?: string;
  /** @default globalThis.fetch */
  fetch?: FetchFn;
  /** Extra headers on every request (e.g. `Sudo`). */
  headers?: Readonly<Record<string, string>>;
  /** Per attempt, including reading the body. @default 30000 */
  timeoutMs?: number;
  /** `false` disables retries. */
  retry?: RetryOptions | false;
  /** @default a real, abortable setTimeout */
  sleep?: SleepFn;
}

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "DELETE";

/** `json` parses, `text` decodes UTF-8, `bytes` returns the raw body, `none` discards it. */
export type ResponseType = "json" | "text" | "bytes" | "none";

export interface HttpRequest {
  method: HttpMethod;
  /** A path under `baseUrl` (`/api/v4/user`) or an absolute URL on the same origin (a `Link` target). */
  path: string;
  query?: QueryParams;
  arrayFormat?: ArrayFormat;
  /** JSON body. POST/PUT/DELETE without one send `{}`, as GitLab's own clients do. */
  body?: unknown;
  responseType?: ResponseType;
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  headers: ResponseHeaders;
  data: T;
  url: string;
}

export interface HttpTransport {
  readonly baseUrl: string;
  /** Resolves a path (or a same-origin absolute URL) against `baseUrl`. */
  resolveUrl(path: string, query?: QueryParams, arrayFormat?: ArrayFormat): string;
  request<T>(request: HttpRequest): Promise<HttpResponse<T>>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_RETRY_STATUSES: readonly number[] = [429, 502, 503];

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(["GET", "HEAD"]);

/** Creates the transport every API group shares. */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const origin = new URL(baseUrl).origin;
  const fetchFn: FetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const retry = options.retry === false ? { maxRetries: 0 } : (options.retry ?? {});
  const maxRetries = retry.maxRetries ?? DEFAULT_MAX_RETRIES;
  const retryStatuses = new Set(retry.retryOnStatuses ?? DEFAULT_RETRY_STATUSES);
  const sleep = options.sleep ?? defaultSleep;

  function resolveUrl(path: string, query?: QueryParams, arrayFormat?: ArrayFormat): string {
    const qs = buildQueryString(query, arrayFormat);
    if (/^https?:\/\//i.test(path)) {
      // A `Link` URL: keep its path and query but never send the token to another host.
      const url = new URL(path);
      return `${origin}${url.pathname}${url.search}${qs === "" ? "" : (url.search ? "&" : "?") + qs.slice(1)}`;
    }
    return `${baseUrl}${path.startsWith("/") ? "" : "/"}${path}${qs}`;
  }

  async function attempt<T>(request: HttpRequest, url: string): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = {
      Accept:
        request.responseType === "json" || request.responseType === undefined ? "application/json" : "*/*",
      ...options.headers,
    };
    if (options.token !== undefined) headers["PRIVATE-TOKEN"] = options.token;
    let body: string | undefined;
    if (request.method !== "GET" && request.method !== "HEAD") {
      body = JSON.stringify(request.body ?? {});
      headers["Content-Type"] = "application/json";
    }

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    request.signal?.addEventListener("abort", onAbort, { once: true });
    const fail = (cause: unknown): ClientError => {
      if (request.signal?.aborted) return abortedError(request.signal);
      if (cause instanceof ClientError) return cause;
      if (timedOut) {
        return new ClientError({
          code: "timeout",
          message: `${request.method} ${url} timed out after ${timeoutMs} ms`,
          method: request.method,
          url,
          cause,
        });
      }
      const reason = cause instanceof Error ? cause.message : String(cause);
      return new ClientError({
        code: "network",
        message: `${request.method} ${url} failed: ${reason}`,
        method: request.method,
        url,
        cause,
      });
    };

    try {
      if (request.signal?.aborted) throw abortedError(request.signal);
      const response = await fetchFn(url, {
        method: request.method,
        headers,
        body,
        signal: controller.signal,
      });
      if (!response.ok) {
        const text = await response.text();
        const error = errorFromResponse(
          response.status,
          text,
          response.headers.get("content-type"),
          request.method,
          url,
        );
        retryAfterByError.set(error, response.headers.get("retry-after"));
        throw error;
      }
      const data = await readBody(response, request.responseType ?? "json", request.method, url);
      return { status: response.status, headers: response.headers, data: data as T, url };
    } catch (cause) {
      throw fail(cause);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
    }
  }

  async function request<T>(request: HttpRequest): Promise<HttpResponse<T>> {
    const url = resolveUrl(request.path, request.query, request.arrayFormat);
    const retries = IDEMPOTENT.has(request.method) ? maxRetries : 0;
    for (let attemptIndex = 0; ; attemptIndex++) {
      try {
        return await attempt<T>(request, url);
      } catch (error) {
        const err = error as ClientError;
        const retryable = err.code === "network" || (err.status !== null && retryStatuses.has(err.status));
        if (!retryable || attemptIndex >= retries) throw err;
        // A server's Retry-After wins over our backoff, capped so one answer cannot stall a caller for hours.
        const retryAfterMs = parseRetryAfterMs(retryAfterByError.get(err) ?? null);
        const delayMs =
          retryAfterMs === null
            ? backoffDelayMs(attemptIndex, retry)
            : Math.min(retryAfterMs, retry.maxDelayMs ?? DEFAULT_MAX_DELAY_MS);
        await sleep(delayMs, request.signal);
      }
    }
  }

  return { baseUrl, resolveUrl, request };
}

// Retry-After travels beside the error so `attempt` stays the only place that touches a Response.
const retryAfterByError = new WeakMap<ClientError, string | null>();

async function readBody(
  response: FetchResponse,
  type: ResponseType,
  method: string,
  url: string,
): Promise<unknown> {
  if (type === "none" || response.status === 204) {
    await response.body?.cancel();
    return type === "bytes" ? new Uint8Array(0) : type === "text" ? "" : null;
  }
  if (type === "bytes") return new Uint8Array(await response.arrayBuffer());
  const text = await response.text();
  if (type === "text") return text;
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ClientError({
      code: "invalid_response",
      message: `${method} ${url} answered ${response.status} with a body that is not JSON`,
      status: response.status,
      method,
      url,
      body: text,
      cause,
    });
  }
}
