// The pipelines, pipeline and job pages in real Chromium against a real server and runner: a pipeline
// appears and runs while the page is open, its log streams while the job runs, a manual job is played
// from the page, sections collapse, a reporter is offered no actions, and axe finds nothing serious.
// GitLab's pages this follows: https://docs.gitlab.com/ee/ci/pipelines/#view-pipelines and
// https://docs.gitlab.com/ee/ci/jobs/#view-jobs-in-a-pipeline (job log sections:
// https://docs.gitlab.com/ee/ci/jobs/job_logs.html#custom-collapsible-sections).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAs, seriousViolations } from "./test-support/browser.js";
import { TOKENS } from "./test-support/processes.js";
import { startUiFixture, type UiFixture } from "./test-support/ui-fixture.js";

const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../screenshots");

let fx: UiFixture;
const gateDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-web-gate-"));
let pipelineId: number;
let compileJobId: number;

beforeAll(async () => {
  fx = await startUiFixture();
});
afterAll(async () => {
  await fx?.close();
  rmSync(gateDir, { recursive: true, force: true });
});

describe("a pipeline watched live", () => {
  it("appears on the open pipelines page and its job's log shows while the job is still running", async () => {
    const page = await openAs(fx.browser.context, `${fx.url}/demo/app/-/pipelines`, TOKENS.developer);
    await page.getByRole("heading", { name: "Pipelines" }).waitFor();
    expect(await page.getByTestId("pipeline-row").count()).toBe(0);
    // The compile job holds after "compile step 2" until the gate file exists: running is then certain.
    const gate = path.join(gateDir, "compile-may-finish");
    pipelineId = await fx.createPipeline("live", { GATE: gate });
    // No reload: the events socket brings the new pipeline in.
    await page.getByTestId("pipeline-row").first().waitFor();
    await page.getByRole("link", { name: `#${pipelineId}`, exact: true }).click();
    await page.getByRole("heading", { name: new RegExp(`Pipeline #${pipelineId}`) }).waitFor();
    await page.getByRole("link", { name: /compile/ }).click();
    await page.waitForURL(/\/demo\/app\/-\/jobs\/\d+$/);
    compileJobId = Number(page.url().split("/").pop());
    await page.getByTestId("job-log").getByText("compile step 2", { exact: true }).waitFor();
    const job = await fx.admin.v4.jobs.get(fx.projectId, compileJobId);
    expect(job.status).toBe("running");
    writeFileSync(gate, "");
    await page.getByTestId("job-log").getByText("compile step 10", { exact: true }).waitFor();
    await page.locator('h1 [data-status="success"]').waitFor();
    await page.close();
  });

  it("shows the job's section collapsed and expanded with its duration, and links each line", async () => {
    const page = await openAs(
      fx.browser.context,
      `${fx.url}/demo/app/-/jobs/${compileJobId}`,
      TOKENS.developer,
    );
    const log = page.getByTestId("job-log");
    const toggle = log.getByRole("button", { name: "Collapse section compile_step" });
    await toggle.waitFor();
    await expect(log.locator(".log-section .log-text").first().textContent()).resolves.toBe(
      "Compiling the app",
    );
    await expect(log.locator(".log-section .log-duration").textContent()).resolves.toMatch(/^\d+s$/);
    expect(await log.getByText("compile step 5", { exact: true }).count()).toBe(1);
    await toggle.click();
    await log.getByRole("button", { name: "Expand section compile_step" }).waitFor();
    expect(await log.getByText("compile step 5", { exact: true }).count()).toBe(0);
    await log.getByRole("button", { name: "Expand section compile_step" }).click();
    const lineLink = log.getByRole("link", { name: "3", exact: true });
    expect(await lineLink.getAttribute("href")).toBe("#L3");
    // The ANSI colour went through ansi_up: green bold text, no escape codes left.
    expect(await log.locator(".log-section .log-text span.ansi-green-fg").count()).toBe(1);
    expect(await log.textContent()).not.toContain("\u001b[");
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, "job.png") });
    await page.close();
  });

  it("plays a manual job from the pipeline page and shows it succeed", async () => {
    const page = await openAs(
      fx.browser.context,
      `${fx.url}/demo/app/-/pipelines/${pipelineId}`,
      TOKENS.developer,
    );
    const play = page.getByRole("button", { name: "Run deploy" });
    await play.click();
    await page.locator('[data-job="deploy"] [data-status="success"]').waitFor();
    const jobs = await fx.admin.v4.jobs.listForPipeline(fx.projectId, pipelineId).toArray();
    expect(jobs.find((j) => j.name === "deploy")?.status).toBe("success");
    await page.screenshot({ path: path.join(SCREENSHOTS, "pipeline.png") });
    await page.close();
  });

  it("shows an external CI's commit status in stage external, linked to its page, as it changes", async () => {
    // GitLab's pipeline graph shows commit statuses (POST /projects/:id/statuses/:sha) as jobs of stage
    // `external` linking to their target_url:
    // https://docs.gitlab.com/17.0/ee/api/commits.html#set-the-pipeline-status-of-a-commit
    const page = await openAs(
      fx.browser.context,
      `${fx.url}/demo/app/-/pipelines/${pipelineId}`,
      TOKENS.developer,
    );
    await page.getByTestId("pipeline-graph").waitFor();
    const { sha } = await fx.admin.v4.pipelines.get(fx.projectId, pipelineId);
    const report = { name: "external-ci", targetUrl: "https://ci.example/runs/7", pipelineId };
    await fx.admin.v4.commits.setStatus(fx.projectId, sha, { state: "running", ...report });
    // No reload: the events socket brings the status in, then its change.
    const card = page.getByRole("region", { name: "Stage external" }).getByTestId("commit-status-card");
    await card.locator('[data-status="running"]').waitFor();
    const link = card.getByRole("link", { name: /external-ci/ });
    expect(await link.getAttribute("href")).toBe("https://ci.example/runs/7");
    await fx.admin.v4.commits.setStatus(fx.projectId, sha, { state: "success", ...report });
    await card.locator('[data-status="success"]').waitFor();
    await page.close();
  });
});

describe("what a reporter is offered", () => {
  it("shows a reporter no cancel, retry or play, on the job page or the pipeline page", async () => {
    const job = await openAs(
      fx.browser.context,
      `${fx.url}/demo/app/-/jobs/${compileJobId}`,
      TOKENS.reporter,
    );
    await job.getByTestId("signed-in-as").getByText("@rep").waitFor();
    await job.locator("h1 [data-status]").waitFor();
    expect(await job.getByTestId("job-actions").count()).toBe(0);
    expect(await job.getByRole("button", { name: /^(Cancel|Retry|Run)$/ }).count()).toBe(0);
    const pipeline = await openAs(
      fx.browser.context,
      `${fx.url}/demo/app/-/pipelines/${pipelineId}`,
      TOKENS.reporter,
    );
    await pipeline.getByTestId("job-card").first().waitFor();
    expect(await pipeline.locator("[data-action]").count()).toBe(0);
    await job.close();
    await pipeline.close();
  });

  it("shows the API's refusal of a bad token in GitLab's words", async () => {
    const page = await openAs(fx.browser.context, `${fx.url}/`, null);
    await page.getByLabel("Access token").fill("not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("401 Unauthorized");
    await page.close();
  });
});

describe("accessibility", () => {
  const pages = () => [
    ["projects", "/"],
    ["pipelines", "/demo/app/-/pipelines"],
    ["pipeline", `/demo/app/-/pipelines/${pipelineId}`],
    ["job", `/demo/app/-/jobs/${compileJobId}`],
    ["runners", "/admin/runners"],
  ];

  it("finds no serious or critical axe-core violation on any page", async () => {
    for (const [name, url] of pages()) {
      const page = await openAs(fx.browser.context, `${fx.url}${url}`, TOKENS.admin);
      await page.locator("main h1").waitFor();
      // Each page's data is in: a row, a card, a log line or a project.
      await page
        .locator(
          "[data-testid=project], [data-testid=pipeline-row], [data-testid=job-card], .log-line, [data-testid=runner-row]",
        )
        .first()
        .waitFor();
      expect({ page: name, violations: await seriousViolations(page) }).toEqual({
        page: name,
        violations: [],
      });
      await page.close();
    }
  });
});
