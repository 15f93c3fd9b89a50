// A dropped connection in the middle of a live log: the page reconnects and resumes the trace from the
// bytes it holds, so every line shows exactly once, in order (buildsim's watcher protocol:
// docs/runner-protocol.md; GitLab's own page polls `trace` with a byte offset the same way).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openAs } from "./test-support/browser.js";
import { TOKENS } from "./test-support/processes.js";
import { startTcpProxy, type TcpProxy } from "./test-support/tcp-proxy.js";
import { startUiFixture, type UiFixture } from "./test-support/ui-fixture.js";

let fx: UiFixture;
let proxy: TcpProxy;
beforeAll(async () => {
  fx = await startUiFixture();
  proxy = await startTcpProxy(fx.url);
});
afterAll(async () => {
  await proxy?.close();
  await fx?.close();
});

describe("a dropped WebSocket", () => {
  it("resumes the live log exactly: no line lost, none repeated", async () => {
    const pipelineId = await fx.createPipeline("drop");
    let [job] = await fx.admin.v4.jobs.listForPipeline(fx.projectId, pipelineId).toArray();
    const page = await openAs(
      fx.browser.context,
      `${proxy.url}/demo/app/-/jobs/${job!.id}`,
      TOKENS.developer,
    );
    const log = page.getByTestId("job-log");
    await log.getByText("line 5", { exact: true }).waitFor();
    expect(proxy.dropAll()).toBeGreaterThan(0);
    // Still running after the drop: the rest arrives over the new connection.
    job = await fx.admin.v4.jobs.get(fx.projectId, job!.id);
    expect(job.status).toBe("running");
    await page.locator('h1 [data-status="success"]').waitFor();
    await log.getByText("line 30", { exact: true }).waitFor();
    const shown = (await log.locator(".log-text").allTextContents()).filter((t) => /^line \d+$/.test(t));
    expect(shown).toEqual(Array.from({ length: 30 }, (_, i) => `line ${i + 1}`));
    // And the page shows the trace the API has, line for line.
    const trace = await fx.admin.v4.jobs.trace(fx.projectId, job.id);
    const apiLines = trace.split("\n").filter((l) => /^line \d+$/.test(l));
    expect(shown).toEqual(apiLines);
    await page.close();
  });
});
