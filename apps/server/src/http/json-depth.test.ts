// The nesting scan that guards JSON.parse.

import { describe, expect, it } from "vitest";
import { exceedsJsonDepth, MAX_JSON_DEPTH } from "./json-depth.js";

const nested = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

describe("exceedsJsonDepth", () => {
  it("accepts a body nested exactly to the limit and refuses one level more", () => {
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(exceedsJsonDepth(nested(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it("counts objects and arrays alike", () => {
    expect(exceedsJsonDepth('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(exceedsJsonDepth('{"a":[{"b":1}]}', 3)).toBe(false);
  });

  it("ignores brackets inside strings, including after escaped quotes", () => {
    expect(exceedsJsonDepth(`{"a":"${"[".repeat(500)}"}`)).toBe(false);
    expect(exceedsJsonDepth(`{"a":"\\"${"{".repeat(500)}"}`)).toBe(false);
  });

  it("refuses 3,000 nested arrays without recursing", () => {
    expect(exceedsJsonDepth(nested(3000))).toBe(true);
  });
});
