// The restart benchmark: buildsim starts on a file database holding BENCH_RESTART_BUILDS builds of which
// a sixth (20,000 by default) are `running`, with no runner connected. After the heartbeat timeout the
// watchdog requeues or fails every one of them; meanwhile clients keep reading (the mixed benchmark's
// GETs). Reported: p99 latency of the API in each window while the watchdog works, and how long it
// took to clear them (or, past BENCH_RESTART_MAX_MS, how many it cleared per second), against the
// windows before the watchdog started (its heartbeat timeout). Target: p99 < 50 ms while it works.
// Env: BENCH_RESTART_BUILDS (120000), BENCH_CONNECTIONS (10), BENCH_WINDOW_MS (1000),
// BENCH_RESTART_MAX_MS (60000), BENCH_NODE_FLAGS (node flags for the buildsim child, e.g. `--cpu-prof
// --cpu-prof-dir=DIR` to profile it).

import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  canPin,
  env,
  firstLine,
  loadAverage,
  loadRun,
  median,
  node,
  runToEnd,
  writeBenchResult,
} from "./bench-children.js";
import { mixReads } from "./mix-requests.js";

const BUILDS = env("BENCH_RESTART_BUILDS", 120_000);
const CONNECTIONS = env("BENCH_CONNECTIONS", 10);
const WINDOW_MS = env("BENCH_WINDOW_MS", 1000);
const MAX_MS = env("BENCH_RESTART_MAX_MS", 60_000);
/** The watchdog's grace after a restart: short, so the benchmark does not wait 30 s for it. */
const HEARTBEAT_TIMEOUT_MS = 5000;
const TARGET_P99_MS = 50;

/** How many builds are `running`, read through the API. */
async function runningCount(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/api/v3/projects/1/builds?scope=running&per_page=1`, {
    headers: { "PRIVATE-TOKEN": token },
  });
  await res.arrayBuffer();
  return Number(res.headers.get("x-total"));
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), "buildsim-restart-bench-"));
  const children: ChildProcess[] = [];
  try {
    console.log(`[restart] populating ${BUILDS} builds…`);
    await runToEnd("populate-main.js", [path.join(work, "data"), String(BUILDS)], 0);
    const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter((f) => f !== "");
    const buildsim = node(
      "bench-server-main.js",
      [path.join(work, "data"), String(HEARTBEAT_TIMEOUT_MS)],
      0,
      flags,
    );
    children.push(buildsim);
    const server = await firstLine<{ url: string; token: string }>(buildsim);
    const startedAt = performance.now();
    const u = new URL(server.url);
    const reads = mixReads(BUILDS);
    const initial = await runningCount(server.url, server.token);
    console.log(
      `[restart] ${initial} running builds, no runner; ${CONNECTIONS} connections, windows of ${WINDOW_MS} ms; pinned: ${canPin}; load ${loadAverage()}`,
    );
    const windows: Array<{ atMs: number; running: number; p99Ms: number; p50Ms: number; rps: number }> = [];
    let running = initial;
    let clearedAtMs: number | null = null;
    for (let w = 0; running > 0 && performance.now() - startedAt < MAX_MS; w++) {
      const r = await loadRun({
        host: u.hostname,
        port: Number(u.port),
        path: "/",
        headers: { "PRIVATE-TOKEN": server.token },
        connections: CONNECTIONS,
        durationMs: WINDOW_MS,
        mix: { reads, writes: [], writeFraction: 0, seed: w + 1 },
      });
      running = await runningCount(server.url, server.token);
      const atMs = Math.round(performance.now() - startedAt);
      windows.push({ atMs, running, p99Ms: r.p99Ms, p50Ms: r.p50Ms, rps: Math.round(r.requestsPerSecond) });
      console.log(
        `[restart] t=${(atMs / 1000).toFixed(1)} s: ${running} running, ${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms`,
      );
      if (running === 0) clearedAtMs = atMs;
    }
    // Windows in which the watchdog worked: the running count fell during them.
    const working = windows.filter((w, i) => w.running < (i === 0 ? initial : windows[i - 1]!.running));
    const p99s = working.map((w) => w.p99Ms);
    // Windows that ended before the heartbeat timeout: the API with the watchdog idle, same machine load.
    const idle = windows.filter((w) => w.atMs < HEARTBEAT_TIMEOUT_MS).map((w) => w.p99Ms);
    const last = windows[windows.length - 1];
    const clearedPerSecond =
      last && last.atMs > HEARTBEAT_TIMEOUT_MS
        ? Math.round(((initial - last.running) / (last.atMs - HEARTBEAT_TIMEOUT_MS)) * 1000)
        : 0;
    const summary = {
      builds: BUILDS,
      runningAtStart: initial,
      heartbeatTimeoutMs: HEARTBEAT_TIMEOUT_MS,
      connections: CONNECTIONS,
      windowMs: WINDOW_MS,
      pinned: canPin,
      clearedAfterMs: clearedAtMs,
      clearedPerSecond,
      medianP99MsBeforeWatchdog: idle.length > 0 ? Number(median(idle).toFixed(2)) : null,
      windowsWhileWorking: working.length,
      medianP99MsWhileWorking: Number(median(p99s).toFixed(2)),
      maxP99MsWhileWorking: Number(Math.max(...p99s).toFixed(2)),
      minRequestsPerSecondWhileWorking: Math.min(...working.map((w) => w.rps)),
      loadAverage: loadAverage(),
      target: TARGET_P99_MS,
      met: p99s.length > 0 && Math.max(...p99s) < TARGET_P99_MS,
      windows,
    };
    console.log(
      `[restart] ${initial} running builds: ${clearedAtMs === null ? `${initial - (last?.running ?? initial)} cleared in ${MAX_MS / 1000} s` : `cleared in ${(clearedAtMs / 1000).toFixed(1)} s`} (${clearedPerSecond}/s); API p99 before the watchdog: median ${summary.medianP99MsBeforeWatchdog} ms; while it worked: median ${summary.medianP99MsWhileWorking} ms, max ${summary.maxP99MsWhileWorking} ms (target < ${TARGET_P99_MS} ms: ${summary.met ? "met" : "NOT met"}; load ${summary.loadAverage})`,
    );
    writeBenchResult("restart", summary);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
