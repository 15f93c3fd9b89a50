// The board's test line after a pipeline: the counts of its junit reports and which cases failed, from
// the same GitLab `test_report` entity the API serves (nothing when no job uploaded a report).

import type { TestReportEntity } from "@buildsim/core";

/** How many failed cases are named before `… and N more`. */
const MAX_NAMED = 10;

/** `tests: 12 passed, 1 failed, 0 skipped` (errors when there are some), then one line per failure. */
export function formatTestSummary(report: TestReportEntity): string {
  if (report.test_suites.length === 0) return "";
  const parts = [
    `${report.success_count} passed`,
    `${report.failed_count} failed`,
    `${report.skipped_count} skipped`,
  ];
  if (report.error_count > 0) parts.push(`${report.error_count} error${report.error_count === 1 ? "" : "s"}`);
  const problems: string[] = [];
  for (const suite of report.test_suites) {
    if (suite.suite_error) problems.push(`${suite.name}: ${suite.suite_error}`);
    for (const c of suite.test_cases) {
      if (c.status !== "failed" && c.status !== "error") continue;
      const name = [c.classname, c.name].filter((part) => part).join(" ");
      problems.push(`${suite.name}: ${name}${c.status === "error" ? " (error)" : ""}`);
    }
  }
  const named = problems.slice(0, MAX_NAMED).map((line) => `  ✖ ${line}\n`);
  const more = problems.length > MAX_NAMED ? [`  … and ${problems.length - MAX_NAMED} more\n`] : [];
  return `tests: ${parts.join(", ")}\n${named.join("")}${more.join("")}`;
}
