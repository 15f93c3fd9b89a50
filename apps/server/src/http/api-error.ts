// The HTTP boundary's one error class and the one table mapping its codes to GitLab's status and body.

import type { ApiErrorBody } from "@buildsim/core";

/** Every error the API answers with, by stable code. */
export const API_ERRORS = {
  UNAUTHORIZED: { status: 401, body: { message: "401 Unauthorized" } },
  FORBIDDEN: { status: 403, body: { message: "403 Forbidden" } },
  SUDO_NOT_ADMIN: { status: 403, body: { message: "403 Forbidden - Must be admin to use sudo" } },
  /** 8.17's `sudo!`: only a private token may sudo (lib/api/helpers.rb). */
  SUDO_NEEDS_PRIVATE_TOKEN: {
    status: 403,
    body: { message: "403 Forbidden - Private token must be specified in order to use sudo" },
  },
  NOT_RETRYABLE: { status: 403, body: { message: "403 Forbidden - Build is not retryable" } },
  NOT_ERASABLE: { status: 403, body: { message: "403 Forbidden - Build is not erasable!" } },
  /** v4 says "Job" where v3 says "Build". */
  JOB_NOT_RETRYABLE: { status: 403, body: { message: "403 Forbidden - Job is not retryable" } },
  JOB_NOT_ERASABLE: { status: 403, body: { message: "403 Forbidden - Job is not erasable!" } },
  /** `bad_request!` without an attribute (e.g. an artifact path that is not valid). */
  BAD_REQUEST: { status: 400, body: { message: "400 Bad request" } },
  PROJECT_NOT_FOUND: { status: 404, body: { message: "404 Project Not Found" } },
  NOT_FOUND: { status: 404, body: { message: "404 Not Found" } },
  /** `ActiveRecord::RecordNotFound` rescued by the API: lower-case "found". */
  RECORD_NOT_FOUND: { status: 404, body: { message: "404 Not found" } },
  /** Repository files API: no such file, or no such ref (`not_found!('File')`, `not_found!('Commit')`). */
  FILE_NOT_FOUND: { status: 404, body: { message: "404 File Not Found" } },
  COMMIT_NOT_FOUND: { status: 404, body: { message: "404 Commit Not Found" } },
  /** Templates API: no template by that key (`not_found!('Template')`). */
  TEMPLATE_NOT_FOUND: { status: 404, body: { message: "404 Template Not Found" } },
  /** Grape's catch-all route for paths the API does not have. */
  ROUTE_NOT_FOUND: { status: 404, body: { error: "404 Not Found" } },
  /** `not_found!('Variable')` (`/projects/:id/variables/:key`). */
  VARIABLE_NOT_FOUND: { status: 404, body: { message: "404 Variable Not Found" } },
  /** Several environment scopes share the key and no `filter[environment_scope]` picked one. */
  VARIABLE_AMBIGUOUS: {
    status: 409,
    body: {
      message:
        "There are multiple variables with provided parameters. Please use 'filter[environment_scope]'",
    },
  },
  UNPLAYABLE: { status: 400, body: { message: '400 (Bad request) "Unplayable Job" not given' } },
  /** 17.0's `bad_request!(reason)`: "400 Bad request - <reason>" (lib/api/helpers.rb). */
  JOB_UNPLAYABLE: { status: 400, body: { message: "400 Bad request - Unplayable Job" } },
  PAYLOAD_TOO_LARGE: { status: 413, body: { message: "413 Request Entity Too Large" } },
  /** GitLab's JSON validation middleware (`Gitlab::Json::StreamValidator`), before any route or auth. */
  JSON_TOO_DEEP: { status: 400, body: { error: "Parameters nested too deeply" } },
  /** Runner API (job token endpoints, §7). */
  JOB_NOT_RUNNING: { status: 403, body: { message: "403 Forbidden - Job is not running!" } },
  JOB_ERASED: { status: 403, body: { message: "403 Forbidden - Job has been erased!" } },
  MISSING_ARTIFACTS_FILE: {
    status: 400,
    body: { message: '400 (Bad request) "Missing artifacts file!" not given' },
  },
  INTERNAL: { status: 500, body: { message: "500 Internal Server Error" } },
} as const satisfies Record<string, { status: number; body: { message: string } | { error: string } }>;

export type ApiErrorCode =
  | keyof typeof API_ERRORS
  | "INVALID_PARAM"
  | "USER_NOT_FOUND"
  | "RECORD_INVALID"
  | "INSUFFICIENT_SCOPE"
  | "CONFLICT"
  | "UNPROCESSABLE"
  | "FORBIDDEN_REASON"
  | "RENDERED";

/** A request that ends with an error response. Thrown by handlers; rendered by the central handler. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly body: ApiErrorBody;

  private constructor(code: ApiErrorCode, status: number, body: ApiErrorBody) {
    super(
      "error" in body
        ? body.error
        : typeof body.message === "string"
          ? body.message
          : JSON.stringify(body.message),
    );
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.body = body;
  }

  /** One of the fixed errors of `API_ERRORS`. */
  static of(code: keyof typeof API_ERRORS): ApiError {
    const e = API_ERRORS[code];
    return new ApiError(code, e.status, e.body);
  }

  /** Grape parameter validation: 400 `{"error": "<text>"}` (e.g. `build_id is invalid`). */
  static invalidParam(text: string): ApiError {
    return new ApiError("INVALID_PARAM", 400, { error: text });
  }

  /** `render_validation_error!`: 400 `{"message": {"base": [...]}}`, e.g. a pipeline that cannot be created. */
  static recordInvalid(errors: Record<string, string[]>): ApiError {
    return new ApiError("RECORD_INVALID", 400, { message: errors });
  }

  /** `forbidden!(reason)`: 403 `{"message": "403 Forbidden - <reason>"}`. */
  static forbidden(reason: string): ApiError {
    return new ApiError("FORBIDDEN_REASON", 403, { message: `403 Forbidden - ${reason}` });
  }

  /** `render_api_error!(message, status)`: the message as given, without a status prefix. */
  static rendered(status: number, message: string | Record<string, string[]>): ApiError {
    return new ApiError("RENDERED", status, typeof message === "string" ? { message } : { message: message });
  }

  /** `conflict!(message)`: 409 `{"message": "<text>"}` (e.g. a branch that is already protected). */
  static conflict(text: string): ApiError {
    return new ApiError("CONFLICT", 409, { message: text });
  }

  /** `render_api_error!(record.errors.full_messages, 422)`: 422 `{"message": ["Name can't be blank"]}`. */
  static unprocessable(messages: string[]): ApiError {
    return new ApiError("UNPROCESSABLE", 422, { message: messages });
  }

  /** Sudo named a user that does not exist: 8.17's words for v3, 17.0's for v4. */
  static sudoUserNotFound(who: string, api: "v3" | "v4" = "v3"): ApiError {
    return new ApiError("USER_NOT_FOUND", 404, {
      message:
        api === "v3"
          ? `404 No user id or username for: ${who} Not Found`
          : `404 User with ID or username '${who}' Not Found`,
    });
  }

  /**
   * 17.0's `validate_access_token!(scopes: [...])` for a token without the scope (lib/api/api_guard.rb,
   * `insufficient_scope_error`): 403 with OAuth's error body.
   */
  static insufficientScope(scope: string): ApiError {
    return new ApiError("INSUFFICIENT_SCOPE", 403, {
      error: "insufficient_scope",
      error_description: "The request requires higher privileges than provided by the access token.",
      scope,
    });
  }
}
