// The pipeline test report entities: `TestReportEntity` (suites with their cases, `details: true`) and
// `TestReportSummaryEntity` (counts per suite with `build_ids`), as GitLab's serializers render them.

import type {
  ParsedTestCase,
  TestCaseEntity,
  TestReportEntity,
  TestReportSummaryEntity,
  TestSuiteEntity,
} from "@buildsim/core";
import { TEST_CASE_STATUSES } from "@buildsim/core";
import { type PipelineTestSuite, suiteCount } from "../services/test-reports.js";

/** One suite's counts, `total_count` being their sum (TestSuite#total_count). */
function counts(suite: PipelineTestSuite) {
  const success = suiteCount(suite, "success");
  const failed = suiteCount(suite, "failed");
  const skipped = suiteCount(suite, "skipped");
  const error = suiteCount(suite, "error");
  return {
    name: suite.name,
    total_time: suite.totalTime,
    total_count: success + failed + skipped + error,
    success_count: success,
    failed_count: failed,
    skipped_count: skipped,
    error_count: error,
  };
}

/** `TestCaseEntity`: GitLab's JUnit parser never fills `stack_trace`; `recent_failures` needs history. */
function presentCase(c: ParsedTestCase): TestCaseEntity {
  return {
    status: c.status,
    name: c.name,
    classname: c.classname,
    file: c.file,
    execution_time: c.executionTime,
    system_output: c.systemOutput,
    stack_trace: null,
    recent_failures: null,
  };
}

/** `GET /projects/:id/pipelines/:pipeline_id/test_report`. */
export function presentTestReportV4(suites: readonly PipelineTestSuite[]): TestReportEntity {
  const testSuites: TestSuiteEntity[] = suites.map((suite) => ({
    ...counts(suite),
    suite_error: suite.suiteError,
    test_cases: suite.suiteError ? [] : TEST_CASE_STATUSES.flatMap((s) => suite.cases[s].map(presentCase)),
  }));
  const sum = (key: keyof TestSuiteEntity) => testSuites.reduce((n, s) => n + (s[key] as number), 0);
  return {
    total_time: sum("total_time"),
    total_count: sum("total_count"),
    success_count: sum("success_count"),
    failed_count: sum("failed_count"),
    skipped_count: sum("skipped_count"),
    error_count: sum("error_count"),
    test_suites: testSuites,
  };
}

/** `GET /projects/:id/pipelines/:pipeline_id/test_report_summary`. */
export function presentTestReportSummaryV4(suites: readonly PipelineTestSuite[]): TestReportSummaryEntity {
  const testSuites = suites.map((suite) => ({
    ...counts(suite),
    build_ids: suite.buildIds,
    suite_error: suite.suiteError,
  }));
  const sum = (key: "total_time" | "total_count" | `${"success" | "failed" | "skipped" | "error"}_count`) =>
    testSuites.reduce((n, s) => n + s[key], 0);
  return {
    total: {
      time: sum("total_time"),
      count: sum("total_count"),
      success: sum("success_count"),
      failed: sum("failed_count"),
      skipped: sum("skipped_count"),
      error: sum("error_count"),
      suite_error: testSuites.find((s) => s.suite_error !== null)?.suite_error ?? null,
    },
    test_suites: testSuites,
  };
}
