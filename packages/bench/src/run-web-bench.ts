// The web UI benchmark (issue 17), in Debian's Chromium against real `buildsim serve` and `buildsim runner`
// processes:
// (a) a 5 MB, 50,000-line log: first log lines painted after navigation (target < 1 s), against the
//     browser showing the same trace as plain text from the API (the baseline, same run, alternating);
//     then scrolling through it: the longest frame;
// (b) a live job printing 10,000 lines/s, run BENCH_WEB_LIVE_RUNS times (3, at most 5): long tasks
//     (PerformanceObserver `longtask`) while the page follows it (target: none > 50 ms in any run), how far
//     behind the page finishes, and the machine's load average (a shared machine stretches tasks);
// (c) initial JS, gzipped (target < 150 KB);
// (d) Cancel clicked on a running `sleep 60` job's page until the process is gone (target < 1 s), against
//     the same cancel sent to the API (the baseline, same run, alternating).
// Env: BENCH_WEB_ROUNDS (5), BENCH_WEB_LIVE_RUNS (3), BENCH_WEB_TRACE (1: one more live run, traced, that
// prints each long task's wall and CPU time and its steps; see web-live-trace.ts). Results: bench-results/web.json.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import {
  ADMIN_TOKEN,
  BIG_LOG_LINES,
  getJson,
  LIVE_JOB_IDS,
  LIVE_LINES,
  LIVE_RATE_PER_S,
  launchChromium,
  repoRoot,
  startBenchProcesses,
  TRACED_LIVE_JOB_ID,
  waitForJob,
} from "./web-bench-setup.js";
import { measureCancel } from "./web-cancel-bench.js";
import { type LiveRun, LONG_TASKS, longTasks, waitForLines, watchLiveJob } from "./web-live-bench.js";
import { describeTask, type TracedTask, traceLongTasks } from "./web-live-trace.js";

const ROUNDS = Number(process.env.BENCH_WEB_ROUNDS ?? 5);
const LIVE_RUNS = Math.min(LIVE_JOB_IDS.length, Number(process.env.BENCH_WEB_LIVE_RUNS ?? 3));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number) => `${Math.round(n)} ms`;

function initialJsKb(): { jsKb: number; cssKb: number; files: string[] } {
  const ui = path.join(repoRoot, "apps", "server", "dist", "ui");
  const html = readFileSync(path.join(ui, "index.html"), "utf8");
  const scripts = [
    ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="([^"]+)"/g),
  ].map((m) => m[1]!);
  const styles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
  const gz = (files: string[]) =>
    files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(ui, f))).byteLength, 0) / 1024;
  return { jsKb: gz(scripts), cssKb: gz(styles), files: scripts };
}

/** ms from navigation start to the first log line painted, and to every line parsed. */
async function openBigLog(page: Page, url: string): Promise<{ firstPaintMs: number; allLinesMs: number }> {
  await page.goto(`${url}/bench/app/-/jobs/1`);
  await page.waitForFunction(() => document.querySelector(".log-line .log-text") !== null, null, {
    polling: "raf",
  });
  const firstPaintMs = await page.evaluate(
    () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now()))),
  );
  await waitForLines(page, BIG_LOG_LINES, 50);
  const allLinesMs = await page.evaluate(() => performance.now());
  return { firstPaintMs, allLinesMs };
}

/**
 * The baseline: the simplest log page there is, the same trace fetched from the API and put in one
 * `<pre>` (no ANSI, no sections, no virtualization); ms from navigation to its text painted.
 */
async function openPlainPre(page: Page, url: string): Promise<number> {
  await page.route(`${url}/bench-baseline`, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<!doctype html><pre id="log"></pre><script>
        fetch("/api/v4/projects/1/jobs/1/trace", { headers: { "PRIVATE-TOKEN": "${ADMIN_TOKEN}" } })
          .then((r) => r.text())
          .then((text) => {
            document.getElementById("log").textContent = text;
            requestAnimationFrame(() => { window.__painted = performance.now(); });
          });
      </script>`,
    }),
  );
  await page.goto(`${url}/bench-baseline`);
  await page.waitForFunction(
    () => (window as unknown as { __painted?: number }).__painted !== undefined,
    null,
    {
      timeout: 60_000,
    },
  );
  return page.evaluate(() => (window as unknown as { __painted: number }).__painted);
}

/** Jumps through the log a frame at a time; the longest frame. */
async function scrollThrough(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const log = document.querySelector<HTMLElement>("[data-testid=job-log]")!;
        let step = 0;
        let last = performance.now();
        let longest = 0;
        const frame = (now: number) => {
          longest = Math.max(longest, now - last);
          last = now;
          log.scrollTop = ((step * 7919) % 120) * (log.scrollHeight / 120);
          if (++step < 120) requestAnimationFrame(frame);
          else resolve(longest);
        };
        requestAnimationFrame((now) => {
          last = now;
          requestAnimationFrame(frame);
        });
      }),
  );
}

const js = initialJsKb();
const loadAtStart = loadavg().map((n) => n.toFixed(2));
console.log(
  `load average at start: ${loadAtStart.join(" ")} (1, 5, 15 min; ${availableParallelism()} cores)`,
);
console.log(
  `initial JS: ${js.jsKb.toFixed(1)} KB gzipped (${js.files.join(", ")}), CSS ${js.cssKb.toFixed(1)} KB (target < 150 KB) ${js.jsKb < 150 ? "PASS" : "FAIL"}`,
);

const processes = await startBenchProcesses();
const browser = await launchChromium();
try {
  await waitForJob(processes.url, 1, ["success"]);
  const trace = await fetch(`${processes.url}/api/v4/projects/1/jobs/1/trace`, {
    headers: { "PRIVATE-TOKEN": ADMIN_TOKEN },
  });
  const traceBytes = (await trace.arrayBuffer()).byteLength;
  console.log(`big log: ${(traceBytes / 1e6).toFixed(2)} MB, ${BIG_LOG_LINES.toLocaleString("en")} lines`);
  await browser.context.addInitScript(
    (token) => sessionStorage.setItem("buildsim.token", token),
    ADMIN_TOKEN,
  );
  await browser.context.addInitScript(LONG_TASKS);
  const ours: number[] = [];
  const parsed: number[] = [];
  const raw: number[] = [];
  const loadLongest: number[] = [];
  const scrollFrames: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const baseline = await browser.context.newPage();
    raw.push(await openPlainPre(baseline, processes.url));
    await baseline.close();
    const page = await browser.context.newPage();
    const big = await openBigLog(page, processes.url);
    ours.push(big.firstPaintMs);
    parsed.push(big.allLinesMs);
    loadLongest.push(Math.max(0, ...(await longTasks(page))));
    scrollFrames.push(await scrollThrough(page));
    await page.close();
    console.log(
      `round ${round}: first log lines painted ${ms(big.firstPaintMs)} (plain <pre> baseline ${ms(raw.at(-1)!)}), ` +
        `all lines ${ms(big.allLinesMs)}, longest task while loading ${ms(loadLongest.at(-1)!)}, longest scroll frame ${ms(scrollFrames.at(-1)!)}`,
    );
  }
  const firstPaint = median(ours);
  console.log(
    `big log: first lines painted, median ${ms(firstPaint)} (plain <pre> baseline ${ms(median(raw))}, ratio ${(firstPaint / median(raw)).toFixed(2)}); ` +
      `all 50,000 lines ${ms(median(parsed))}; longest scroll frame ${ms(median(scrollFrames))} (target < 1 s) ${firstPaint < 1000 ? "PASS" : "FAIL"}`,
  );

  const liveRuns: LiveRun[] = [];
  for (const id of LIVE_JOB_IDS.slice(0, LIVE_RUNS)) {
    const run = await watchLiveJob(browser.context, processes.url, id);
    liveRuns.push(run);
    console.log(
      `live run ${liveRuns.length}: ${LIVE_LINES.toLocaleString("en")} lines at ${run.linesPerS.toLocaleString("en")} lines/s ` +
        `(asked ${LIVE_RATE_PER_S.toLocaleString("en")}); ${run.longTasksMs.length} long tasks, longest ${ms(Math.max(0, ...run.longTasksMs))}, ` +
        `page done ${ms(run.pageDoneAfterJobMs)} after the job; load average ${run.loadAverage.join(" ")}`,
    );
  }
  const liveLongest = Math.max(0, ...liveRuns.flatMap((r) => r.longTasksMs));
  const liveTasks = liveRuns.reduce((n, r) => n + r.longTasksMs.length, 0);
  console.log(
    `live job: over ${liveRuns.length} runs, ${liveTasks} long tasks, longest ${ms(liveLongest)}; slowest rate ` +
      `${Math.min(...liveRuns.map((r) => r.linesPerS)).toLocaleString("en")} lines/s (target: no task > 50 ms in any run) ${liveTasks === 0 ? "PASS" : "FAIL"}`,
  );
  if (process.env.BENCH_WEB_TRACE === "1") {
    // A diagnostic, not counted above: tracing slows the page. What each long task spent on the CPU.
    let traced: TracedTask[] = [];
    const run = await watchLiveJob(browser.context, processes.url, TRACED_LIVE_JOB_ID, async (page) => {
      const stop = await traceLongTasks(page);
      return async () => {
        traced = await stop();
      };
    });
    console.log(
      `traced live run (diagnostic): ${run.longTasksMs.length} long tasks in the page; in the trace: ` +
        `${traced.map(describeTask).join("; ") || "none over 50 ms"}; load average ${run.loadAverage.join(" ")}`,
    );
  }
  const cancel = await measureCancel(browser.context, processes.url, Math.min(ROUNDS, 5));
  const cancelMs = median(cancel.pageMs);
  console.log(
    `cancel: sleep gone after the page's Cancel click, median ${ms(cancelMs)} (rounds ${cancel.pageMs.map(ms).join(", ")}); ` +
      `through the API ${ms(median(cancel.apiMs))}, ratio ${(cancelMs / median(cancel.apiMs)).toFixed(2)} (target < 1 s) ${cancelMs < 1000 ? "PASS" : "FAIL"}`,
  );
  const jobs = await getJson<{ name: string; status: string }[]>(processes.url, "/api/v4/projects/1/jobs");
  const summary = {
    date: new Date().toISOString(),
    initialJsKbGzip: Number(js.jsKb.toFixed(1)),
    cssKbGzip: Number(js.cssKb.toFixed(1)),
    bigLog: {
      bytes: traceBytes,
      lines: BIG_LOG_LINES,
      firstLinesPaintedMs: ours,
      plainPreBaselineMs: raw,
      allLinesMs: parsed,
      longestTaskWhileLoadingMs: loadLongest,
      longestScrollFrameMs: scrollFrames,
    },
    live: { lines: LIVE_LINES, longestTaskMs: liveLongest, runs: liveRuns },
    cancel: { pageClickToGoneMs: cancel.pageMs, apiToGoneMs: cancel.apiMs },
    jobs,
  };
  const out = path.join(repoRoot, "packages", "bench", "bench-results");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "web.json"), `${JSON.stringify(summary, null, 2)}\n`);
} finally {
  await browser.close();
  processes.stop();
}
