import { describe, expect, it } from "vitest";
import { parseQuery, QueryParseError, toQuery } from "./parse-query.js";

describe("parseQuery", () => {
  it.each([
    ["a=1&b=x+y", { a: "1", b: "x y" }],
    ["scope[]=a&scope[]=b", { scope: ["a", "b"] }],
    ["scope[0]=a&scope[1]=b", { scope: { 0: "a", 1: "b" } }],
    ["a[b][c]=1", { a: { b: { c: "1" } } }],
    ["a=1&a=2", { a: "2" }],
    ["flag&=x&&k=", { flag: "", k: "" }],
    ["%E2%98%83=%E2%98%83", { "☃": "☃" }],
    // Rack keeps `__proto__` as a plain key (an own property here, never the object's prototype).
    ["__proto__[x]=1&a=2", { a: "2", ["__proto__"]: { x: "1" } }],
    ["scope[__proto__]=x", { scope: { ["__proto__"]: "x" } }],
  ])("parses %s as Rack does", (query, params) => {
    expect(parseQuery(query).params).toEqual(params);
  });

  it("keeps the pairs in order for repeated keys", () => {
    expect(parseQuery("scope=a&x=1&scope=b").pairs).toEqual([
      ["scope", "a"],
      ["x", "1"],
      ["scope", "b"],
    ]);
  });

  it.each(["a=%", "%ZZ=1", "a=1&a[]=2", "a[]=1&a[b]=2", `a${"[x]".repeat(40)}=1`])("rejects %s", (query) => {
    expect(() => parseQuery(query)).toThrow(QueryParseError);
  });

  it("does not let a key reach Object.prototype", () => {
    parseQuery("constructor[prototype][polluted]=1&__proto__[polluted]=1");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const params = parseQuery("__proto__=x&a[__proto__][polluted]=1").params;
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(params.a)).toBe(Object.prototype);
    expect(Object.hasOwn(params, "__proto__")).toBe(true);
  });
});

describe("toQuery", () => {
  it("sorts pairs and nests brackets as Rails to_query does", () => {
    expect(toQuery({ z: "1", scope: ["b", "a"], a: { k: "v w" } })).toBe(
      "a%5Bk%5D=v+w&scope%5B%5D=b&scope%5B%5D=a&z=1",
    );
  });

  it("leaves out empty arrays and hashes", () => {
    expect(toQuery({ a: [], b: {}, c: "1" })).toBe("c=1");
  });
});
