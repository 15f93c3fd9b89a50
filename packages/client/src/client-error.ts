// The client's one error class: every failed call — HTTP, network, timeout, trace socket — becomes a ClientError.

/**
 * Stable error codes. Match on `code`, never on `message`: the message is GitLab's text and may change
 * between GitLab versions, the code does not.
 */
export type ClientErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "method_not_allowed"
  | "conflict"
  | "too_large"
  | "range_not_satisfiable"
  | "unprocessable"
  | "rate_limited"
  | "http_error"
  | "server_error"
  | "network"
  | "timeout"
  | "aborted"
  | "invalid_response"
  | "protocol";

/** The one table from HTTP status to code. Statuses not listed map to `http_error` (4xx) or `server_error` (5xx). */
export const STATUS_TO_CODE: Readonly<Record<number, ClientErrorCode>> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "too_large",
  416: "range_not_satisfiable",
  422: "unprocessable",
  429: "rate_limited",
};

/** Maps an HTTP status to its stable code. */
export function codeForStatus(status: number): ClientErrorCode {
  const code = STATUS_TO_CODE[status];
  if (code) return code;
  return status >= 500 ? "server_error" : "http_error";
}

export interface ClientErrorInit {
  code: ClientErrorCode;
  message: string;
  /** HTTP status, or `null` when no response arrived (network, timeout, aborted). */
  status?: number | null;
  method?: string;
  url?: string;
  /** The raw response body, when there was one. */
  body?: string;
  cause?: unknown;
}

/**
 * A failed call. `message` is GitLab's own text (`"404 Not found"`, `"403 Forbidden - Job is not
 * retryable"`), taken from the JSON body's `message` or `error`, or the raw body when it is not JSON.
 */
export class ClientError extends Error {
  override readonly name = "ClientError";
  readonly code: ClientErrorCode;
  readonly status: number | null;
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly body: string | undefined;

  constructor(init: ClientErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status ?? null;
    this.method = init.method;
    this.url = init.url;
    this.body = init.body;
  }
}

/** True for a ClientError, optionally with one of the given codes. */
export function isClientError(value: unknown, ...codes: ClientErrorCode[]): value is ClientError {
  return value instanceof ClientError && (codes.length === 0 || codes.includes(value.code));
}

/**
 * GitLab's error text from a response body: `message` (render_api_error!), else `error` (Grape
 * validation, unknown routes), else the raw text. Structured messages (`{"message": {"ref": ["is
 * invalid"]}}`) are rendered as JSON so nothing is lost.
 */
export function parseErrorMessage(body: string, contentType: string | null): string {
  const isJson = contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
  if (isJson || body.startsWith("{")) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed !== null && typeof parsed === "object") {
        const record = parsed as Record<string, unknown>;
        const text = record.message ?? record.error;
        if (typeof text === "string") return text;
        if (text !== undefined) return JSON.stringify(text);
      }
    } catch {
      // Not JSON after all: fall through to the raw text.
    }
  }
  return body;
}

/** Builds the ClientError for a non-2xx response. */
export function errorFromResponse(
  status: number,
  body: string,
  contentType: string | null,
  method: string,
  url: string,
): ClientError {
  const text = parseErrorMessage(body, contentType);
  return new ClientError({
    code: codeForStatus(status),
    message: text === "" ? `${status}` : text,
    status,
    method,
    url,
    body,
  });
}
