import { describe, expect, it } from "vitest";
import { parseRunnerToServerMessage } from "./parse-wire-message.js";
import { isBase64 } from "./schema-helpers.js";

// What the trace schema accepted before the table check: RFC 4648 §4 base64 with padding.
const PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

describe("isBase64", () => {
  it("accepts what Buffer writes as base64, for every length of input", () => {
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
    for (let n = 0; n <= bytes.length; n++)
      expect(isBase64(bytes.subarray(0, n).toString("base64"))).toBe(true);
  });

  it("refuses wrong padding, stray characters and lengths that are not groups of 4", () => {
    for (const bad of [
      "A",
      "AB",
      "ABC",
      "A===",
      "====",
      "AB=C",
      "AB==AB==",
      "ABC$",
      "ABCD\n",
      "ABé=",
      "-_AB",
    ])
      expect(isBase64(bad), bad).toBe(false);
  });

  it("agrees with the regular expression it replaces on random strings", () => {
    const chars = "ABCXYZabcxyz0189+/=-_ \u00e9";
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 20000; i++) {
      const length = Math.floor(random() * 13);
      let s = "";
      for (let k = 0; k < length; k++) s += chars[Math.floor(random() * chars.length)];
      expect(isBase64(s), JSON.stringify(s)).toBe(PATTERN.test(s));
    }
  });

  it("is what the trace message's data must be", () => {
    const trace = (data: string) => JSON.stringify({ type: "trace", buildId: 1, offset: 0, data });
    expect(parseRunnerToServerMessage(trace("aGk=")).ok).toBe(true);
    expect(parseRunnerToServerMessage(trace("aGk")).ok).toBe(false);
  });
});
