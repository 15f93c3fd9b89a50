// Follow mode on a job log longer than its view: the page keeps the newest line in view, scrolling up
// leaves follow mode, and coming back to the bottom resumes it, as GitLab's job log does with its
// scroll-to-bottom control (https://docs.gitlab.com/ee/ci/jobs/job_logs.html).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAs } from "./test-support/browser.js";
import { TOKENS } from "./test-support/processes.js";
import { startUiFixture, type UiFixture } from "./test-support/ui-fixture.js";

let fx: UiFixture;
beforeAll(async () => {
  fx = await startUiFixture();
});
afterAll(async () => {
  await fx?.close();
});

describe("follow mode", () => {
  it("stays at the bottom, leaves when the reader scrolls up and resumes at the bottom", async () => {
    const pipelineId = await fx.createPipeline("drop");
    const [job] = await fx.admin.v4.jobs.listForPipeline(fx.projectId, pipelineId).toArray();
    const page = await openAs(fx.browser.context, `${fx.url}/demo/app/-/jobs/${job!.id}`, TOKENS.developer);
    const log = page.getByTestId("job-log");
    await page.locator('h1 [data-status="success"]').waitFor();
    await log.getByText("line 30", { exact: true }).waitFor();
    const distanceToBottom = () => log.evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop);
    // Longer than the view, or the test would prove nothing.
    expect(await log.evaluate((el) => el.scrollHeight > el.clientHeight * 1.2)).toBe(true);
    expect(await distanceToBottom()).toBeLessThan(1);
    await page.getByRole("button", { name: "Following" }).waitFor();

    await log.evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.getByRole("button", { name: "Follow log" }).waitFor();

    // Back to the very place the page itself had scrolled to: the reader's scroll, so follow resumes.
    await log.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.getByRole("button", { name: "Following" }).waitFor();
    expect(await distanceToBottom()).toBeLessThan(1);
    await page.close();
  });
});
