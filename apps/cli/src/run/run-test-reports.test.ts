// `artifacts:reports:junit` end to end by `buildsim run` (real server, runner, bash and SQLite): jobs write
// JUnit files, the runner uploads them (a failed job's too), the board prints the test line, and the v4
// pipeline test_report shows the suites. https://docs.gitlab.com/ci/testing/unit_test_reports/

import { afterEach, describe, expect, it } from "vitest";
import { removeRunRepos, runPipeline as run, statuses } from "./test-support/run-pipeline.js";

afterEach(removeRunRepos);

const CI = `
variables: { REPORT_DIR: reports }
unit:
  parallel: 2
  script:
    - mkdir -p $REPORT_DIR
    - |
      cat > $REPORT_DIR/unit-$CI_NODE_INDEX.xml <<EOF
      <?xml version="1.0"?>
      <testsuites><testsuite name="pytest">
      <testcase classname="tests.test_math" name="test_add_$CI_NODE_INDEX" time="0.01"/>
      <testcase classname="tests.test_math" name="test_skip_$CI_NODE_INDEX" time="0"><skipped message="later"/></testcase>
      </testsuite></testsuites>
      EOF
  artifacts:
    reports:
      junit: $REPORT_DIR/unit-*.xml
integration:
  script:
    - |
      cat > TEST-integration.xml <<EOF
      <testsuite name="com.example.IT"><testcase classname="com.example.IT" name="connects" time="1.5"><failure message="refused">java.net.ConnectException</failure></testcase></testsuite>
      EOF
    - exit 1
  artifacts:
    reports:
      junit: [TEST-*.xml]
`;

describe("artifacts:reports:junit", () => {
  it("uploads every job's report, a failed job's too, and prints the pipeline's test line", async () => {
    let report: Record<string, unknown> = {};
    let summary: Record<string, unknown> = {};
    let job: Record<string, unknown> = {};
    const r = await run({ ".gitlab-ci.yml": CI }, [], async ({ url, token }) => {
      const get = async (p: string) =>
        (await (
          await fetch(`${url}/api/v4/projects/1${p}`, { headers: { "PRIVATE-TOKEN": token } })
        ).json()) as Record<string, unknown>;
      report = await get("/pipelines/1/test_report");
      summary = await get("/pipelines/1/test_report_summary");
      const jobs = (await get("/pipelines/1/jobs")) as unknown as Array<{ id: number; name: string }>;
      job = await get(`/jobs/${jobs.find((j) => j.name === "integration")!.id}`);
    });
    expect(r.code).toBe(1);
    expect(statuses(r)).toEqual(["unit 1/2:success", "unit 2/2:success", "integration:failed"]);
    expect(r.trace("integration")).toContain('Uploading artifacts as "junit" to coordinator... 201 Created');
    expect(r.out).toContain(
      "tests: 2 passed, 1 failed, 2 skipped\n  ✖ integration: com.example.IT connects\n",
    );
    // Both `unit N/2` instances report into the one `unit` suite (GitLab's test_suite_name).
    expect(report).toMatchObject({ total_count: 5, success_count: 2, failed_count: 1, skipped_count: 2 });
    const suites = report.test_suites as Array<{ name: string; test_cases: Array<Record<string, unknown>> }>;
    expect(suites.map((s) => s.name)).toEqual(["unit", "integration"]);
    expect(suites[1]!.test_cases[0]).toEqual({
      status: "failed",
      name: "connects",
      classname: "com.example.IT",
      file: null,
      execution_time: 1.5,
      system_output: "java.net.ConnectException",
      stack_trace: null,
      recent_failures: null,
    });
    const summarySuites = summary.test_suites as Array<{ name: string; build_ids: number[] }>;
    expect(summarySuites.map((s) => [s.name, s.build_ids.length])).toEqual([
      ["unit", 2],
      ["integration", 1],
    ]);
    expect(job.artifacts).toContainEqual(
      expect.objectContaining({ file_type: "junit", file_format: "gzip" }),
    );
  });

  it("prints no test line when no job has a junit report", async () => {
    const r = await run({ ".gitlab-ci.yml": "a:\n  script: [echo hi]\n" });
    expect(r.code).toBe(0);
    expect(r.out).not.toContain("tests:");
  });
});
