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
});
