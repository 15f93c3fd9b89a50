// The v4 `scope` filter in every form clients send it, and what the Link URLs carry afterwards.

import { describe, expect, it } from "vitest";
import { ApiError } from "../../http/api-error.js";
import { parseQuery } from "../../http/parse-query.js";
import { parseJobScope } from "./parse-job-scope.js";

const parse = (query: string) => {
  const q = parseQuery(query);
  return parseJobScope(q.params, q);
};

describe("parseJobScope", () => {
  it("means no filter when scope is absent", () => {
    expect(parse("per_page=2")).toEqual({ statuses: null, normalized: undefined });
  });

  it.each([
    ["scope=manual", ["manual"]],
    ["scope[]=failed&scope[]=success", ["failed", "success"]],
    ["scope[0]=created&scope[1]=skipped", ["created", "skipped"]],
    ["scope=pending&scope=running", ["pending", "running"]],
    ["scope[]=success&scope[]=success", ["success"]],
  ])("reads %s as %j and normalizes it to an array", (query, statuses) => {
    const r = parse(query);
    expect(r.statuses).toEqual(statuses);
    expect(Array.isArray(r.normalized)).toBe(true);
  });

  it.each(["scope=bogus", "scope=", "scope[]=", "scope[a][b]=x", "scope[]=success&scope[]=nope"])(
    "rejects %s with 400 scope does not have a valid value",
    (query) => {
      const e = (() => {
        try {
          parse(query);
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).body).toEqual({ error: "scope does not have a valid value" });
    },
  );
});
