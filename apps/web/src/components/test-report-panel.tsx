// The pipeline's Tests tab, as GitLab shows the JUnit reports its jobs uploaded: the totals, then one
// collapsible block per suite with its cases (failed and errored first, as the API orders them) and a
// failed case's output. https://docs.gitlab.com/ee/ci/testing/unit_test_reports.html#view-unit-test-reports-on-gitlab

import type { Client } from "@buildsim/client";
import type { TestCaseEntity, TestSuiteEntity } from "@buildsim/core";
import { formatDuration } from "../format.js";
import { useAsync } from "../use-async.js";
import { ApiAlert } from "./api-alert.js";

/** "3.2s" for a case's or suite's time (GitLab reports seconds with fractions). */
const seconds = (s: number) => (s < 60 ? `${Number(s.toFixed(2))}s` : formatDuration(Math.round(s)));

/** "1 failure", "2 failures". */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** GitLab's success rate: passed out of all, one decimal, "0%" for an empty report. */
export function successRate(success: number, total: number): string {
  return total === 0 ? "0%" : `${Number(((success / total) * 100).toFixed(1))}%`;
}

function CaseRow({ testCase }: { testCase: TestCaseEntity }) {
  const output = testCase.system_output ?? testCase.stack_trace;
  return (
    <tr data-testid="test-case" data-status={testCase.status}>
      <td>
        <span class={`test-status test-${testCase.status}`}>{testCase.status}</span>
      </td>
      <td>
        <div>{testCase.name}</div>
        {testCase.classname && <div class="muted">{testCase.classname}</div>}
        {output && (
          <details>
            <summary>Output</summary>
            <pre class="test-output">{output}</pre>
          </details>
        )}
      </td>
      <td>{seconds(testCase.execution_time)}</td>
    </tr>
  );
}

function SuiteBlock({ suite }: { suite: TestSuiteEntity }) {
  const broken = suite.failed_count + suite.error_count > 0 || suite.suite_error !== null;
  return (
    <details class="test-suite" data-testid="test-suite" open={broken}>
      <summary>
        <strong>{suite.name}</strong> · {count(suite.total_count, "test")} · {suite.failed_count} failed ·{" "}
        {suite.error_count} errors · {suite.skipped_count} skipped · {suite.success_count} passed ·{" "}
        {seconds(suite.total_time)}
      </summary>
      {suite.suite_error && <p class="alert">{suite.suite_error}</p>}
      {suite.test_cases.length > 0 && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Test</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {suite.test_cases.map((c, i) => (
              <CaseRow key={`${c.classname}/${c.name}/${i}`} testCase={c} />
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

/** The Tests tab; `version` changes whenever the pipeline's jobs change, which reloads the report. */
export function TestReportPanel({
  client,
  project,
  pipelineId,
  version,
}: {
  client: Client;
  project: string;
  pipelineId: number;
  version: unknown;
}) {
  const report = useAsync(
    (signal) => client.v4.pipelines.testReport(project, pipelineId, { signal }),
    [client, project, pipelineId, version],
  );
  const r = report.value;
  return (
    <section aria-label="Test report" data-testid="test-report">
      <ApiAlert error={report.error} />
      {r && r.total_count === 0 && r.test_suites.length === 0 && (
        <p class="muted">There are no test reports for this pipeline.</p>
      )}
      {r && r.test_suites.length > 0 && (
        <>
          <p class="test-summary" data-testid="test-summary">
            {count(r.total_count, "test")} · {count(r.failed_count, "failure")} ·{" "}
            {count(r.error_count, "error")} · {successRate(r.success_count, r.total_count)} success rate ·{" "}
            {seconds(r.total_time)}
          </p>
          {r.test_suites.map((suite) => (
            <SuiteBlock key={suite.name} suite={suite} />
          ))}
        </>
      )}
    </section>
  );
}
