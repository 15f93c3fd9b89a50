// Unit test reports (`artifacts:reports:junit`): a job's parsed JUnit cases, and the v4 pipeline
// `test_report` / `test_report_summary` entities as GitLab's serializers expose them
// (https://docs.gitlab.com/api/pipelines/#get-a-test-report-for-a-pipeline).

import { type Static, Type } from "@sinclair/typebox";
import { Nullable } from "./schema-helpers.js";

/** GitLab's `Gitlab::Ci::Reports::TestCase::STATUS_TYPES`, in its display order. */
export const TEST_CASE_STATUSES = ["error", "failed", "success", "skipped"] as const;
export type TestCaseStatus = (typeof TEST_CASE_STATUSES)[number];

/** One `<testcase>` as the JUnit parser reads it. */
export interface ParsedTestCase {
  /** The enclosing `<testsuite name>`; GitLab keys duplicates by suite, class and name. */
  suiteName: string | null;
  name: string | null;
  classname: string | null;
  file: string | null;
  /** Seconds (`time`), 0 when absent or not a number. */
  executionTime: number;
  status: TestCaseStatus;
  /** The text of `<failure>`, `<error>` or `<skipped>` (its `message` when it has no text). */
  systemOutput: string | null;
}

/** One job's junit report: its cases, or why it could not be read (GitLab's `suite_error`). */
export interface JobTestReport {
  buildId: number;
  /** The suite the job's cases belong to: the job's name, or its group's for `parallel: N`. */
  suiteName: string;
  suiteError: string | null;
  cases: ParsedTestCase[];
}

export const TestCaseEntitySchema = Type.Object({
  status: Type.String(),
  name: Nullable(Type.String()),
  classname: Nullable(Type.String()),
  file: Nullable(Type.String()),
  execution_time: Type.Number(),
  system_output: Nullable(Type.String()),
  stack_trace: Nullable(Type.String()),
  recent_failures: Nullable(Type.Object({ count: Type.Number(), base_branch: Type.String() })),
});
export type TestCaseEntity = Static<typeof TestCaseEntitySchema>;

const reportCounts = {
  total_time: Type.Number(),
  total_count: Type.Number(),
  success_count: Type.Number(),
  failed_count: Type.Number(),
  skipped_count: Type.Number(),
  error_count: Type.Number(),
};
const suiteCounts = { name: Type.String(), ...reportCounts };

/** `TestSuiteEntity` with `details: true`. */
export const TestSuiteEntitySchema = Type.Object({
  ...suiteCounts,
  suite_error: Nullable(Type.String()),
  test_cases: Type.Array(TestCaseEntitySchema),
});
export type TestSuiteEntity = Static<typeof TestSuiteEntitySchema>;

/** `TestReportEntity`: `GET /projects/:id/pipelines/:pipeline_id/test_report`. */
export const TestReportEntitySchema = Type.Object({
  ...reportCounts,
  test_suites: Type.Array(TestSuiteEntitySchema),
});
export type TestReportEntity = Static<typeof TestReportEntitySchema>;

/** `TestReportSummaryEntity`: `GET /projects/:id/pipelines/:pipeline_id/test_report_summary`. */
export const TestReportSummaryEntitySchema = Type.Object({
  total: Type.Object({
    time: Type.Number(),
    count: Type.Number(),
    success: Type.Number(),
    failed: Type.Number(),
    skipped: Type.Number(),
    error: Type.Number(),
    suite_error: Nullable(Type.String()),
  }),
  test_suites: Type.Array(
    Type.Object({
      ...suiteCounts,
      build_ids: Type.Array(Type.Number()),
      suite_error: Nullable(Type.String()),
    }),
  ),
});
export type TestReportSummaryEntity = Static<typeof TestReportSummaryEntitySchema>;
