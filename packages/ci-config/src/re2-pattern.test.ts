import { describe, expect, it } from "vitest";
import { compileRe2 } from "./re2-pattern.js";

// RE2 syntax: https://github.com/google/re2/wiki/Syntax (what GitLab's Gitlab::UntrustedRegexp compiles).
describe("compileRe2", () => {
  it("turns leading inline flags into JavaScript flags", () => {
    expect(compileRe2("(?i)total")?.test("TOTAL")).toBe(true);
    expect(compileRe2("(?s)a.b")?.test("a\nb")).toBe(true);
    expect(compileRe2("(?im)^x$")?.flags).toBe("im");
  });

  it("translates (?P<name>…), \\A, \\z, \\Q…\\E and POSIX classes", () => {
    expect(compileRe2("(?P<pct>\\d+)")?.exec("n 42")?.groups?.pct).toBe("42");
    expect(compileRe2("\\Aab\\z")?.test("ab")).toBe(true);
    expect(compileRe2("\\Aab\\z")?.test("ab\n")).toBe(false);
    expect(compileRe2("\\Q1.5+\\E")?.test("1.5+")).toBe(true);
    expect(compileRe2("\\Q1.5+\\E")?.test("1x55")).toBe(false);
    expect(compileRe2("[[:digit:]]+%")?.exec("at 93%")?.[0]).toBe("93%");
  });

  it("refuses what JavaScript cannot express and invalid patterns", () => {
    expect(compileRe2("(?U)a+")).toBeNull();
    expect(compileRe2("a(?i)b")).toBeNull();
    expect(compileRe2("(unclosed")).toBeNull();
  });
});
