// The pipeline page's Tests tab in real Chromium against a real server and runner: a job's JUnit report
// shows as GitLab's Tests tab does — the count on the tab, the totals, a suite with a failure opened, the
// failing case's output — and axe finds nothing serious there.
// GitLab: https://docs.gitlab.com/ee/ci/testing/unit_test_reports.html#view-unit-test-reports-on-gitlab

import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAs, seriousViolations } from "./test-support/browser.js";
import { TOKENS } from "./test-support/processes.js";
import { startUiFixture, type UiFixture } from "./test-support/ui-fixture.js";

const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../screenshots");

let fx: UiFixture;
beforeAll(async () => {
  fx = await startUiFixture();
});
afterAll(() => fx?.close());

/** The status job `name` of the pipeline ends in (polled through the API; 50 s at most). */
async function finishedStatus(pipelineId: number, name: string): Promise<string> {
  const deadline = Date.now() + 50_000;
  for (;;) {
    const jobs = await fx.admin.v4.jobs.listForPipeline(fx.projectId, pipelineId).toArray();
    const job = jobs.find((j) => j.name === name);
    if (job && ["success", "failed", "canceled"].includes(job.status)) return job.status;
    if (Date.now() > deadline) return job?.status ?? "missing";
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the pipeline's Tests tab", () => {
  it("shows the JUnit report: the count on the tab, the totals, and the failed case with its output", async () => {
    const pipelineId = await fx.createPipeline("junit");
    // The report exists once the job has finished and uploaded it; wait for that through the API (the
    // live page updates are the pipeline pages' tests), so a loaded machine only makes this slower.
    expect(await finishedStatus(pipelineId, "unit-tests")).toBe("success");
    const page = await openAs(
      fx.browser.context,
      `${fx.url}/demo/app/-/pipelines/${pipelineId}`,
      TOKENS.developer,
    );
    await page.locator('[data-job="unit-tests"] [data-status="success"]').waitFor();
    const tab = page.getByRole("tab", { name: /^Tests 2$/ });
    await tab.waitFor();
    await tab.click();
    const summary = page.getByTestId("test-summary");
    await summary.waitFor();
    expect(await summary.textContent()).toBe("2 tests · 1 failure · 0 errors · 50% success rate · 0.5s");
    const suite = page.getByTestId("test-suite");
    expect(await suite.count()).toBe(1);
    // A suite with a failure is open; its failed case comes first, as the API lists it.
    expect(await suite.getAttribute("open")).not.toBeNull();
    const cases = suite.getByTestId("test-case");
    expect(await cases.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")))).toEqual([
      "failed",
      "success",
    ]);
    await cases.first().getByText("Output").click();
    await cases.first().getByText("expected Infinity, got NaN").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "tests.png") });
    await page.close();
  });

  it("says there is no report for a pipeline whose jobs uploaded none", async () => {
    const pipelineId = await fx.createPipeline("retry");
    const page = await openAs(
      fx.browser.context,
      `${fx.url}/demo/app/-/pipelines/${pipelineId}`,
      TOKENS.developer,
    );
    await page.getByRole("tab", { name: /^Tests 0$/ }).click();
    await page.getByText("There are no test reports for this pipeline.").waitFor();
    await page.close();
  });
});
