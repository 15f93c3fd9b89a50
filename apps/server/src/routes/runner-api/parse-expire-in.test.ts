import { describe, expect, it } from "vitest";
import { parseExpireIn } from "./parse-expire-in.js";

describe("parseExpireIn", () => {
  it.each([
    ["3600", 3600],
    ["30 mins", 1800],
    ["1 week", 604_800],
    ["2 hrs 30 min", 9000],
    ["1 day and 2 hours", 93_600],
    ["never", null],
  ])("reads %s", (text, seconds) => {
    expect(parseExpireIn(text)).toBe(seconds);
  });

  it.each(["", "soon", "3 fortnights", "1 week extra"])("refuses %j", (text) => {
    expect(parseExpireIn(text)).toBeUndefined();
  });
});
