// A pipeline's unit test reports: the junit uploads of its latest builds grouped into suites as GitLab
// groups them (Ci::Pipeline#test_reports, Gitlab::Ci::Reports::TestSuite): one suite per job name, with
// the instances of a `parallel: N` job merged, duplicate cases (same suite, class and name) counted once.

import { readFileSync, rmSync } from "node:fs";
import type { Build, ParsedTestCase, TestCaseStatus } from "@buildsim/core";
import { TEST_CASE_STATUSES } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import type { TestReportRecord } from "../store/test-reports-repo.js";
import { parseJunitUpload } from "./parse-junit-report.js";

/** One suite of the pipeline's report. */
export interface PipelineTestSuite {
  name: string;
  buildIds: number[];
  /** The first parse error of the suite's reports; a suite with one counts no cases (GitLab's rule). */
  suiteError: string | null;
  /** Cases by status, in GitLab's status order, each list slowest first (TestSuite#sorted). */
  cases: Record<TestCaseStatus, ParsedTestCase[]>;
  /** Seconds, the sum of the cases' times. */
  totalTime: number;
}

/**
 * GitLab's `test_suite_name`: a `parallel: N` instance (`rspec 2/3`) reports into its job's suite; a
 * `parallel:matrix` instance keeps its own name.
 */
export function testSuiteName(jobName: string): string {
  return jobName.replace(/\s+\d+\/\d+$/, "");
}

/** Groups the reports of `builds` (the pipeline's latest builds, by id) into suites. */
export function pipelineTestSuites(builds: readonly Build[], reports: readonly TestReportRecord[]) {
  const byBuild = new Map(reports.map((r) => [r.buildId, r]));
  const suites = new Map<string, PipelineTestSuite & { keys: Set<string> }>();
  for (const build of builds) {
    const report = byBuild.get(build.id);
    if (!report) continue;
    const name = testSuiteName(build.name);
    let suite = suites.get(name);
    if (!suite) {
      const cases = Object.fromEntries(
        TEST_CASE_STATUSES.map((s) => [s, []]),
      ) as unknown as PipelineTestSuite["cases"];
      suite = { name, buildIds: [], suiteError: null, cases, totalTime: 0, keys: new Set() };
      suites.set(name, suite);
    }
    suite.buildIds.push(build.id);
    suite.suiteError ??= report.suiteError;
    for (const testCase of report.cases) addCase(suite, testCase, name);
  }
  return [...suites.values()].map(({ keys: _keys, ...suite }) => {
    for (const status of TEST_CASE_STATUSES)
      suite.cases[status] = [...suite.cases[status]].sort((a, b) => b.executionTime - a.executionTime);
    return suite;
  });
}

/** A case replaces an earlier one of the same status and key; every case's time counts (TestSuite#add_test_case). */
function addCase(
  suite: PipelineTestSuite & { keys: Set<string> },
  testCase: ParsedTestCase,
  fallbackSuiteName: string,
): void {
  const key = caseKey(testCase, fallbackSuiteName);
  const list = suite.cases[testCase.status];
  if (suite.keys.has(key)) {
    const at = list.findIndex((c) => caseKey(c, fallbackSuiteName) === key);
    list[at] = testCase;
  } else {
    suite.keys.add(key);
    list.push(testCase);
  }
  suite.totalTime += testCase.executionTime;
}

function caseKey(c: ParsedTestCase, fallbackSuiteName: string): string {
  return `${c.status}\0${c.suiteName ?? fallbackSuiteName}\0${c.classname}\0${c.name}`;
}

/** A suite's count of `status` cases: none when it has a suite error. */
export function suiteCount(suite: PipelineTestSuite, status: TestCaseStatus): number {
  return suite.suiteError ? 0 : suite.cases[status].length;
}

/**
 * Stores a `junit` report upload (a file streamed to disk): parsed now, so a report that cannot be read is
 * kept with its `suite_error`; the upload file is removed. GitLab names the artifact `junit.xml.gz`.
 */
export function saveJunitReport(store: Store, buildId: number, file: string, size: number, at: string): void {
  const report = parseJunitUpload(readFileSync(file));
  rmSync(file, { force: true });
  const record = { buildId, filename: "junit.xml.gz", size, ...report };
  store.transaction(() => store.testReports.put(record, at));
}

/** The suites of a pipeline's latest builds' junit reports, read from the store. */
export function loadPipelineTestSuites(store: Store, pipelineId: number): PipelineTestSuite[] {
  const builds = store.builds
    .listByPipeline(pipelineId)
    .filter((b) => !b.retried)
    .sort((a, b) => a.id - b.id);
  return pipelineTestSuites(builds, store.testReports.listByPipeline(pipelineId));
}
