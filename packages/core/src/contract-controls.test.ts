// The controls' input parsers: a valid matcher passes as is; a bad one names the field at fault.

import { describe, expect, it } from "vitest";
import { parseRequestMatcher, parseVerifyCount } from "./contract-controls.js";

describe("parseRequestMatcher", () => {
  it("accepts every field a matcher can have", () => {
    const matcher = {
      method: "post",
      path: "/api/v4/projects/:id/jobs/*",
      pathPattern: "^/api/v4/",
      query: { scope: "failed" },
      headers: { "Content-Type": "application/json" },
      bodyContains: "ref",
      bodyFields: { ref: "main" },
      status: 201,
    };
    expect(parseRequestMatcher(matcher, "matcher")).toEqual({ ok: true, value: matcher });
  });

  it("names an unknown field", () => {
    expect(parseRequestMatcher({ methd: "GET" }, "matcher")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^matcher\.methd is not a known field/),
    });
  });

  it("names a nested field with the wrong type", () => {
    expect(parseRequestMatcher({ headers: { "x-a": 1 } }, "rules.0.match")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^rules\.0\.match\.headers\.x-a is invalid/),
    });
  });

  it("refuses a path that does not start with a slash", () => {
    expect(parseRequestMatcher({ path: "api/v4" }, "matcher")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^matcher\.path is invalid/),
    });
  });
});

describe("parseVerifyCount", () => {
  it("accepts a number or a range and refuses a negative count", () => {
    expect(parseVerifyCount(2, "count").ok).toBe(true);
    expect(parseVerifyCount({ atLeast: 1 }, "count").ok).toBe(true);
    expect(parseVerifyCount(-1, "count")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^count/),
    });
    expect(parseVerifyCount({ atleast: 1 }, "count").ok).toBe(false);
  });
});
