import { describe, expect, it } from "vitest";
import { extractCoverage } from "./extract-coverage.js";

describe("coverage from a trace", () => {
  it("takes the first number of the last matching line", () => {
    const trace = "Coverage: 50%\nrunning\nLines: 87.5% (35/40)\nTotal coverage: 91.25%\ndone\n";
    expect(extractCoverage(trace, "Total coverage: \\d+\\.\\d+%")).toBe(91.25);
    expect(extractCoverage(trace, "Coverage: \\d+%|Lines: \\d+\\.\\d+%")).toBe(87.5);
  });

  it("is null when nothing matches or the pattern is not JavaScript", () => {
    expect(extractCoverage("no numbers here\n", "Coverage: \\d+")).toBeNull();
    expect(extractCoverage("Coverage: 3\n", "(?<!x")).toBeNull();
  });

  it("takes the capture group when the pattern has one, not the first number of the whole match", () => {
    // https://docs.gitlab.com/ci/testing/code_coverage/ — e.g. `/TOTAL.*? (100(?:\.0+)?\%|[1-9]?\d(?:\.\d+)?\%)$/`;
    // GitLab's Trace::Stream#extract_coverage keeps `line.scan(regex).flatten.last`.
    const trace = "Name    Stmts   Miss  Cover\nTOTAL     120     18    85%\n";
    expect(extractCoverage(trace, "TOTAL\\s+\\d+\\s+\\d+\\s+(\\d+%)")).toBe(85);
    expect(
      extractCoverage("3 of 4 files, coverage 75.5%\n", "\\d+ of \\d+ files, coverage (\\d+\\.\\d+)%"),
    ).toBe(75.5);
  });

  it("reads RE2 syntax: (?i) inline flags, (?P<name>…) groups, \\A and \\z", () => {
    expect(extractCoverage("LINES COVERED: 42.1%\n", "(?i)lines covered: (\\d+\\.\\d+)")).toBe(42.1);
    expect(extractCoverage("cov=66\n", "cov=(?P<pct>\\d+)")).toBe(66);
    expect(extractCoverage("total 12.5\n", "\\Atotal (\\d+\\.\\d+)\\z")).toBe(12.5);
  });

  it("uses the last match on a line and skips matching lines without a number", () => {
    expect(extractCoverage("a: 10% b: 20%\n", "\\d+%")).toBe(20);
    expect(extractCoverage("Coverage: 33%\nCoverage: n/a\n", "Coverage: \\S+")).toBe(33);
  });
});
