// Unit test reports through the real server: runners upload `junit` reports (gzip members) with their job
// token, and the pipeline's test_report / test_report_summary and the job's `artifacts` show them.
// Shapes: https://docs.gitlab.com/api/pipelines/#get-a-test-report-for-a-pipeline and
// #get-a-test-report-summary-for-a-pipeline; `parallel: N` instances share one suite (Ci::Build#test_suite_name).

import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { connectRunner } from "../../test-support/protocol-client.js";
import { RUNNER_SEED_TOKENS as T } from "../../test-support/runner-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

const SHA = "a".repeat(40);
const SEED = `
web_url: https://gitlab.example.com
users:
  - { id: 1, username: root, admin: true, tokens: [${T.admin}] }
  - { id: 4, username: outsider, tokens: [${T.outsider}] }
projects:
  - { id: 1, path: acme/app, public_builds: false }
commits:
  - { project: 1, sha: "${SHA}", message: "tests" }
runners:
  - { id: 1, token: ${T.shared}, description: shared }
pipelines:
  - { id: 1, project: 1, sha: "${SHA}", ref: main }
  - { id: 2, project: 1, sha: "${SHA}", ref: main }
builds:
  - { id: 1, pipeline: 1, name: "rspec 1/2", status: pending, script: [x], queued_at: "2026-01-01T00:00:00.000Z" }
  - { id: 2, pipeline: 1, name: "rspec 2/2", status: pending, script: [x], queued_at: "2026-01-01T00:00:00.000Z" }
  - { id: 3, pipeline: 1, name: lint, status: pending, script: [x], queued_at: "2026-01-01T00:00:00.000Z" }
`;

const suite = (cases: string) => `<testsuites><testsuite name="rspec">${cases}</testsuite></testsuites>`;

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: SEED });
});
afterEach(() => server.close());

/** Claims the next pending job with the shared runner. */
async function claim() {
  const { client } = await connectRunner(server, T.shared);
  client.send({ type: "claim", requestId: "r" });
  return (await client.nextOf("job")).job;
}

const uploadJunit = (job: { id: number; token: string }, ...files: string[]) =>
  api(server, `/api/v4/jobs/${job.id}/artifacts?artifact_type=junit&artifact_format=gzip`, {
    method: "POST",
    headers: { "JOB-TOKEN": job.token, "Content-Type": "application/gzip" },
    body: new Uint8Array(Buffer.concat(files.map((f) => gzipSync(f)))),
  });

const get = async (path: string, token: string = T.admin) => {
  const res = await api(server, `/api/v4/projects/1${path}`, { token });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("pipeline test reports", () => {
  it("merges parallel instances into one suite and lists cases failed first, slowest first", async () => {
    const rspec1 = await claim();
    const rspec2 = await claim();
    const lint = await claim();
    expect((await uploadJunit(rspec1, suite('<testcase classname="a" name="one" time="0.5"/>'))).status).toBe(
      201,
    );
    await uploadJunit(
      rspec2,
      suite('<testcase classname="b" name="fast" time="0.1"><failure>nope</failure></testcase>'),
      suite('<testcase classname="b" name="slow" time="2"><failure message="timeout"/></testcase>'),
    );
    await uploadJunit(
      lint,
      '<testsuite name="lint"><testcase name="style"><skipped/></testcase></testsuite>',
    );

    const report = await get("/pipelines/1/test_report");
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      total_time: 2.6,
      total_count: 4,
      success_count: 1,
      failed_count: 2,
      skipped_count: 1,
      error_count: 0,
      test_suites: [
        {
          name: "rspec",
          total_time: 2.6,
          total_count: 3,
          success_count: 1,
          failed_count: 2,
          skipped_count: 0,
          error_count: 0,
          suite_error: null,
          test_cases: [
            {
              status: "failed",
              name: "slow",
              classname: "b",
              file: null,
              execution_time: 2,
              system_output: "timeout",
              stack_trace: null,
              recent_failures: null,
            },
            expect.objectContaining({ status: "failed", name: "fast", system_output: "nope" }),
            expect.objectContaining({ status: "success", name: "one", execution_time: 0.5 }),
          ],
        },
        expect.objectContaining({ name: "lint", total_count: 1, skipped_count: 1 }),
      ],
    });

    const summary = await get("/pipelines/1/test_report_summary");
    expect(summary.body).toEqual({
      total: { time: 2.6, count: 4, success: 1, failed: 2, skipped: 1, error: 0, suite_error: null },
      test_suites: [
        {
          name: "rspec",
          total_time: 2.6,
          total_count: 3,
          success_count: 1,
          failed_count: 2,
          skipped_count: 0,
          error_count: 0,
          build_ids: [1, 2],
          suite_error: null,
        },
        expect.objectContaining({ name: "lint", build_ids: [3], total_count: 1 }),
      ],
    });
  });

  it("reports a malformed report as the suite's error with no cases counted", async () => {
    const rspec1 = await claim();
    expect((await uploadJunit(rspec1, "<testsuite><testcase>")).status).toBe(201);
    const report = await get("/pipelines/1/test_report");
    const suites = report.body.test_suites as Array<Record<string, unknown>>;
    expect(suites[0]).toMatchObject({ name: "rspec", total_count: 0, test_cases: [] });
    expect(suites[0]!.suite_error).toMatch(/^JUnit XML parsing failed: /);
    const summary = await get("/pipelines/1/test_report_summary");
    expect((summary.body.total as Record<string, unknown>).suite_error).toBe(suites[0]!.suite_error);
  });

  it("answers an empty report for a pipeline without junit reports, and 404 for another project's", async () => {
    expect((await get("/pipelines/2/test_report")).body).toEqual({
      total_time: 0,
      total_count: 0,
      success_count: 0,
      failed_count: 0,
      skipped_count: 0,
      error_count: 0,
      test_suites: [],
    });
    expect((await get("/pipelines/2/test_report_summary")).body).toEqual({
      total: { time: 0, count: 0, success: 0, failed: 0, skipped: 0, error: 0, suite_error: null },
      test_suites: [],
    });
    expect((await get("/pipelines/99/test_report")).status).toBe(404);
    expect((await get("/pipelines/1/test_report", T.outsider)).status).toBe(404);
  });

  it("lists the report in the job's artifacts as GitLab's junit gzip artifact", async () => {
    const rspec1 = await claim();
    const body = gzipSync(suite('<testcase name="x"/>'));
    await uploadJunit(rspec1, suite('<testcase name="x"/>'));
    const job = await get(`/jobs/${rspec1.id}`);
    expect(job.body.artifacts).toEqual([
      { file_type: "junit", size: body.byteLength, filename: "junit.xml.gz", file_format: "gzip" },
    ]);
    // The archive upload is untouched by a report upload.
    expect(job.body.artifacts_file).toBeUndefined();
  });

  it("refuses an artifact type it does not store before reading the body", async () => {
    const rspec1 = await claim();
    const res = await api(server, `/api/v4/jobs/${rspec1.id}/artifacts?artifact_type=sast`, {
      method: "POST",
      headers: { "JOB-TOKEN": rspec1.token },
      body: new Uint8Array([1, 2, 3]),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "artifact_type does not have a valid value" });
  });
});
