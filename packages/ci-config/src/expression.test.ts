import { describe, expect, it } from "vitest";
import { parseExpression } from "./expression.js";

const evaluate = (source: string, variables: Record<string, string> = {}): boolean => {
  const parsed = parseExpression(source);
  if (!parsed.ok) throw new Error(`${source}: ${parsed.error}`);
  return parsed.expression.evaluate(variables);
};

describe("rules:if expressions", () => {
  it.each([
    ["$A", { A: "x" }, true],
    ["$A", { A: "" }, false],
    ["$A", {}, false],
    ['$A == "x"', { A: "x" }, true],
    ["$A == 'x'", { A: "y" }, false],
    ['$A != "x"', { A: "y" }, true],
    ['$A != "x"', {}, true],
    ["$A == null", {}, true],
    ["$A == null", { A: "" }, false],
    ["$A != null", { A: "" }, true],
    ['$A == ""', { A: "" }, true],
    ["$A == $B", { A: "1", B: "1" }, true],
    ["$A == $B", { A: "1", B: "2" }, false],
    ["$A =~ /^feat/", { A: "feature" }, true],
    ["$A =~ /^feat/", { A: "fix" }, false],
    ["$A =~ /^FEAT/i", { A: "feature" }, true],
    ["$A =~ /^feat/", {}, false],
    ["$A !~ /^feat/", { A: "fix" }, true],
    ["$A !~ /^feat/", { A: "feature" }, false],
    ["$A =~ /a\\/b/", { A: "x/a/b" }, true],
    ["$A =~ $RE", { A: "release-1", RE: "/^release-\\d+$/" }, true],
    ["$A !~ $RE", { A: "main", RE: "/^release/" }, true],
    // A variable that holds no pattern: GitLab asks whether it contains the left side.
    ["$A =~ $B", { A: "lease", B: "release" }, true],
    ["$A =~ $B", { A: "release", B: "lease" }, false],
    ['$A == "1" && $B == "2"', { A: "1", B: "2" }, true],
    ['$A == "1" && $B == "2"', { A: "1", B: "3" }, false],
    ['$A == "1" || $B == "2"', { A: "0", B: "2" }, true],
    ['$A == "1" || $B == "2"', { A: "0", B: "0" }, false],
    // && binds tighter than ||: true || (false && false) is true.
    ['$A == "1" || $B == "1" && $C == "1"', { A: "1", B: "0", C: "0" }, true],
    ['($A == "1" || $B == "1") && $C == "1"', { A: "1", B: "0", C: "0" }, false],
    ["$A && $B", { A: "x", B: "y" }, true],
    ["$A && $B", { A: "x" }, false],
    ["$A || $B", { B: "y" }, true],
    ['"x" == $A', { A: "x" }, true],
  ])("%s with %j is %s", (source, variables, expected) => {
    expect(evaluate(source, variables)).toBe(expected);
  });

  it("accepts 100 tokens and rejects more, like GitLab's lexer", () => {
    const statement = (terms: number) => Array.from({ length: terms }, (_, i) => `$V${i}`).join(" || ");
    expect(parseExpression(statement(50)).ok).toBe(true);
    expect(parseExpression(statement(51)).ok).toBe(false);
  });

  it.each(["", "$", "$A ==", "== $A", '$A == "x', "($A", "$A)", "$A = 'x'", "$A == x", "$A =~ //"])(
    "rejects %j as invalid expression syntax",
    (source) => {
      expect(parseExpression(source)).toEqual({ ok: false, error: "invalid expression syntax" });
    },
  );
});
