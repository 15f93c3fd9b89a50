import { describe, expect, it } from "vitest";
import { buildQueryString, encodeArtifactPath, encodeProjectId } from "./query-string.js";

describe("buildQueryString", () => {
  it("writes arrays with brackets by default and with indices for v3", () => {
    expect(buildQueryString({ scope: ["a", "b"] })).toBe("?scope%5B%5D=a&scope%5B%5D=b");
    expect(buildQueryString({ scope: ["a", "b"] }, "indices")).toBe("?scope%5B0%5D=a&scope%5B1%5D=b");
  });

  it("leaves out undefined and null, and keeps false and 0", () => {
    expect(buildQueryString({ a: undefined, b: null, c: false, d: 0 })).toBe("?c=false&d=0");
    expect(buildQueryString({})).toBe("");
  });
});

describe("path encoding", () => {
  it("encodes a namespaced project into one segment", () => {
    expect(encodeProjectId("group/sub/project")).toBe("group%2Fsub%2Fproject");
    expect(encodeProjectId(42)).toBe("42");
  });

  it("keeps an artifact path's slashes but encodes its segments", () => {
    expect(encodeArtifactPath("/out/my file#1.txt")).toBe("out/my%20file%231.txt");
  });
});
