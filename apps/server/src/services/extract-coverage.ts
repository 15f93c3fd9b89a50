// `coverage:` — the job's coverage, read from its trace the way GitLab does: the last line the regex
// matches, and the first number in that match.

/** The coverage `regex` (a `coverage:` pattern without its slashes) finds in `trace`, or null. */
export function extractCoverage(trace: string, regex: string): number | null {
  let pattern: RegExp;
  try {
    pattern = new RegExp(regex);
  } catch {
    // A Ruby-only construct JavaScript cannot compile: no coverage rather than a failed build.
    return null;
  }
  const lines = trace.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = pattern.exec(lines[i]!);
    if (!match) continue;
    const number = /\d+(?:\.\d+)?/.exec(match[0]);
    return number ? Number(number[0]) : null;
  }
  return null;
}
