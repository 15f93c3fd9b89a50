// The memory benchmark: buildsim on BENCH_MEMORY_BUILDS builds (1,000,000) with 1,000 traces, after the
// mixed benchmark's load (100 GETs, 5% v4 job retries) for BENCH_MEMORY_RUN_MS: the server process's
// resident set size. Target: < 200 MB. The read cache is bounded in bytes (32 MiB by default).
// Env: BENCH_MEMORY_BUILDS (1000000), BENCH_MEMORY_RUN_MS (10000), BENCH_CONNECTIONS (50).

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
  memoryOf,
  node,
  runToEnd,
  writeBenchResult,
} from "./bench-children.js";
import { mixReads, mixWrites } from "./mix-requests.js";

const BUILDS = env("BENCH_MEMORY_BUILDS", 1_000_000);
const TRACES = 1000;
const RUN_MS = env("BENCH_MEMORY_RUN_MS", 10_000);
const CONNECTIONS = env("BENCH_CONNECTIONS", 50);
const TARGET_MB = 200;

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), "buildsim-memory-bench-"));
  const children: ChildProcess[] = [];
  try {
    console.log(`[memory] populating ${BUILDS} builds and ${TRACES} traces…`);
    await runToEnd("populate-main.js", [path.join(work, "data"), String(BUILDS), String(TRACES)], 0);
    // The watchdog's sweep is kept out of the run, as in the mixed benchmark.
    const idle = String(3_600_000);
    const buildsim = node("bench-server-main.js", [path.join(work, "data"), idle, idle], 0);
    children.push(buildsim);
    const server = await firstLine<{ url: string; token: string }>(buildsim);
    const atStart = await memoryOf(buildsim);
    const u = new URL(server.url);
    const result = await loadRun({
      host: u.hostname,
      port: Number(u.port),
      path: "/",
      headers: { "PRIVATE-TOKEN": server.token },
      connections: CONNECTIONS,
      durationMs: RUN_MS,
      mix: { reads: mixReads(BUILDS), writes: mixWrites(BUILDS), writeFraction: 0.05, seed: 5 },
    });
    const after = await memoryOf(buildsim);
    const mb = (n: number) => Number((n / 1024 / 1024).toFixed(1));
    const summary = {
      builds: BUILDS,
      traces: TRACES,
      runMs: RUN_MS,
      requests: result.requests,
      writes: result.writes,
      pinned: canPin,
      rssMbAtStart: mb(atStart.rss),
      rssMbAfterMixedRun: mb(after.rss),
      heapUsedMbAfterMixedRun: mb(after.heapUsed),
      loadAverage: loadAverage(),
      target: TARGET_MB,
      met: mb(after.rss) < TARGET_MB,
    };
    console.log(
      `[memory] RSS ${summary.rssMbAtStart} MB at start, ${summary.rssMbAfterMixedRun} MB after ${result.requests} requests (${result.writes} writes) of the mixed run (target < ${TARGET_MB} MB: ${summary.met ? "met" : "NOT met"}; load ${summary.loadAverage})`,
    );
    writeBenchResult("memory", summary);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
