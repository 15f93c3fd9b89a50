import { describe, expect, it } from "vitest";
import {
  ClientError,
  codeForStatus,
  errorFromResponse,
  isClientError,
  parseErrorMessage,
} from "./client-error.js";

describe("codeForStatus", () => {
  it.each([
    [400, "bad_request"],
    [401, "unauthorized"],
    [403, "forbidden"],
    [404, "not_found"],
    [409, "conflict"],
    [413, "too_large"],
    [429, "rate_limited"],
    [418, "http_error"],
    [500, "server_error"],
    [503, "server_error"],
  ] as const)("maps %i to %s", (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });
});

describe("parseErrorMessage", () => {
  it("takes GitLab's `message` from a JSON body", () => {
    expect(parseErrorMessage('{"message":"404 Not found"}', "application/json")).toBe("404 Not found");
  });

  it("takes Grape's `error` when there is no `message`", () => {
    expect(parseErrorMessage('{"error":"scope does not have a valid value"}', "application/json")).toBe(
      "scope does not have a valid value",
    );
  });

  it("renders a structured message as JSON instead of losing it", () => {
    expect(parseErrorMessage('{"message":{"ref":["is invalid"]}}', "application/json")).toBe(
      '{"ref":["is invalid"]}',
    );
  });

  it("returns the raw text of a body that is not JSON", () => {
    expect(parseErrorMessage("Bad Gateway", "text/html")).toBe("Bad Gateway");
    expect(parseErrorMessage("{oops", "application/json")).toBe("{oops");
  });
});

describe("ClientError", () => {
  it("carries status, code, method, url and the raw body", () => {
    const error = errorFromResponse(
      403,
      '{"message":"403 Forbidden"}',
      "application/json",
      "POST",
      "http://x/y",
    );
    expect(error).toBeInstanceOf(ClientError);
    expect(error).toMatchObject({ status: 403, code: "forbidden", method: "POST", url: "http://x/y" });
    expect(error.message).toBe("403 Forbidden");
    expect(error.body).toBe('{"message":"403 Forbidden"}');
  });

  it("is recognised by isClientError, optionally by code", () => {
    const error = new ClientError({ code: "timeout", message: "slow" });
    expect(isClientError(error)).toBe(true);
    expect(isClientError(error, "timeout", "network")).toBe(true);
    expect(isClientError(error, "not_found")).toBe(false);
    expect(isClientError(new Error("x"))).toBe(false);
  });
});
