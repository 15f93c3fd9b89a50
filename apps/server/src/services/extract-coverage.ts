// `coverage:` — the job's coverage, read from its trace the way GitLab's `Trace::Stream#extract_coverage`
// does: lines from the last one up; on a line, the last match of the RE2 pattern; of that match, its
// (last) capture group when the pattern has groups, else the whole match; the first number in it. A line
// whose match holds no number is skipped.

import { compileRe2 } from "@buildsim/ci-config";

/** The coverage `regex` (a `coverage:` pattern without its slashes, RE2 syntax) finds in `trace`, or null. */
export function extractCoverage(trace: string, regex: string): number | null {
  const pattern = compileRe2(regex, "g");
  // Not valid RE2 (GitLab's lint refuses it): no coverage rather than a failed build.
  if (!pattern) return null;
  const lines = trace.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const matches = [...lines[i]!.replace(/\r$/, "").matchAll(pattern)];
    const last = matches[matches.length - 1];
    if (!last) continue;
    // Ruby's `scan` gives the groups of each match; GitLab takes `matches.flatten.last`.
    const captured = last.length > 1 ? last[last.length - 1] : last[0];
    // An unset group is `nil` in Ruby, and GitLab's `nil.gsub` ends the search with no coverage.
    if (captured === undefined) return null;
    const number = /\d+(?:\.\d+)?/.exec(captured);
    if (number) return Number(number[0]);
  }
  return null;
}
