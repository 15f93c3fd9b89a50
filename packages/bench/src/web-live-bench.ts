// The web benchmark's live part: a job page opened on a manual job, the job played, and the long tasks
// (PerformanceObserver `longtask`, in the page) counted while the page follows 50,000 lines at 10,000/s.

import { loadavg } from "node:os";
import type { BrowserContext, Page } from "playwright-core";
import { LIVE_LINES, postAs, waitForJob } from "./web-bench-setup.js";

/** One live run: its long tasks (ms), the rate the job printed at, and how long after it the page caught up. */
export interface LiveRun {
  jobId: number;
  linesPerS: number;
  longTasksMs: number[];
  pageDoneAfterJobMs: number;
  /** `os.loadavg()` when the job ended: 1, 5 and 15 minutes. */
  loadAverage: number[];
}

/** An init script: collects every long task of the page from its start (buffered). */
export const LONG_TASKS = () => {
  const w = window as unknown as { __longTasks: number[] };
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push(e.duration);
  }).observe({ type: "longtask", buffered: true });
};

/** The long tasks the page has seen, in ms. */
export const longTasks = (page: Page) =>
  page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks);

/** Waits until the log toolbar counts at least `lines` lines. */
export async function waitForLines(page: Page, lines: number, polling: number | "raf"): Promise<void> {
  await page.waitForFunction(
    (n) => Number(document.querySelector(".log-toolbar span")?.textContent?.replace(/[^0-9]/g, "") ?? 0) >= n,
    lines,
    { polling, timeout: 60_000 },
  );
}

/** Opens job `jobId`'s page, plays the job and follows it to the end; what the page went through. */
export async function watchLiveJob(
  context: BrowserContext,
  url: string,
  jobId: number,
  /** Runs on the open page just before the job is played; its result runs once the page is done. */
  watch?: (page: Page) => Promise<() => Promise<void>>,
): Promise<LiveRun> {
  const page = await context.newPage();
  try {
    await page.goto(`${url}/bench/app/-/jobs/${jobId}`);
    await page.getByTestId("job-log").waitFor();
    // Only what happens while the job prints counts, not the page's own start.
    await page.evaluate(() => {
      (window as unknown as { __longTasks: number[] }).__longTasks = [];
    });
    const unwatch = await watch?.(page);
    await postAs(url, `/api/v4/projects/1/jobs/${jobId}/play`);
    const job = await waitForJob(url, jobId, ["success", "failed"]);
    if (job.status !== "success") throw new Error(`live job ${jobId} ended ${job.status}`);
    const finishedAt = performance.now();
    const loadAverage = loadavg().map((n) => Number(n.toFixed(2)));
    await waitForLines(page, LIVE_LINES, "raf");
    const pageDoneAfterJobMs = Math.round(performance.now() - finishedAt);
    await unwatch?.();
    return {
      jobId,
      linesPerS: job.duration ? Math.round(LIVE_LINES / job.duration) : 0,
      longTasksMs: await longTasks(page),
      pageDoneAfterJobMs,
      loadAverage,
    };
  } finally {
    await page.close();
  }
}
