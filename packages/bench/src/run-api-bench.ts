// The API benchmark: buildsim with 100,000 builds in SQLite answering GET /api/v3/projects/1/builds?per_page=20
// against a bare node:http server answering the same bytes, same load generator, each in its own process
// (pinned to separate cores when `taskset` exists). Target: buildsim ≥ 0.8 of bare requests/s.
//
// Rounds are short back-to-back pairs (alternating which runs first) so drift on a shared machine hits
// both; the ratio reported is the median of the per-round ratios. The servers' CPU time per request is
// reported too: it barely moves when other processes compete for the cores.
// Env: BENCH_BUILDS (100000), BENCH_CONNECTIONS (50), BENCH_DURATION_MS (2000), BENCH_ROUNDS (9),
//      BENCH_NODE_FLAGS (node flags for the buildsim child).

import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  canPin,
  env,
  firstLine,
  loadRun,
  mean,
  measure,
  node,
  runToEnd,
  writeBenchResult,
} from "./bench-children.js";
import type { LoadOptions } from "./load-generator.js";
import { recordResponse } from "./record-responses.js";

const BUILDS = env("BENCH_BUILDS", 100_000);
const CONNECTIONS = env("BENCH_CONNECTIONS", 50);
const DURATION_MS = env("BENCH_DURATION_MS", 2000);
const ROUNDS = env("BENCH_ROUNDS", 9);
const PATH = "/api/v3/projects/1/builds?per_page=20";
const TARGET_RATIO = 0.8;

/** The load run's options against `url`. */
function loadOptions(url: string, token: string, durationMs: number): LoadOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port),
    path: PATH,
    headers: { "PRIVATE-TOKEN": token },
    connections: CONNECTIONS,
    durationMs,
  };
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), "buildsim-bench-"));
  const children: ChildProcess[] = [];
  try {
    console.log(`[bench] populating ${BUILDS} builds and starting buildsim…`);
    const t0 = performance.now();
    await runToEnd("populate-main.js", [path.join(work, "data"), String(BUILDS)], 0);
    // The data holds ~16,000 running builds no runner will report on: after 30 s the watchdog would fail
    // them (writes) in the middle of this read-only measurement. Its work after a restart is what the
    // restart benchmark measures; here its passes wait an hour, as in the mixed benchmark.
    const idle = String(3_600_000);
    // BENCH_NODE_FLAGS (e.g. `--cpu-prof --cpu-prof-dir=DIR`) go to the buildsim child, for profiling it.
    const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter((f) => f !== "");
    const buildsim = node("bench-server-main.js", [path.join(work, "data"), idle, idle], 0, flags);
    children.push(buildsim);
    const server = await firstLine<{ url: string; token: string }>(buildsim);
    console.log(
      `[bench] buildsim ready in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${server.url}`,
    );

    const { recorded, body, headers } = await recordResponse(server.url, "GET", PATH, server.token);
    if (headers.get("x-total") !== String(BUILDS))
      throw new Error(`unexpected answer x-total=${headers.get("x-total")}`);
    const recordFile = path.join(work, "response.json");
    writeFileSync(recordFile, JSON.stringify({ "*": recorded }));

    const bare = node("bare-server-main.js", [recordFile], 0);
    children.push(bare);
    const bareUrl = (await firstLine<{ url: string }>(bare)).url;
    const bareRes = await fetch(`${bareUrl}${PATH}`);
    if (!Buffer.from(await bareRes.arrayBuffer()).equals(body)) throw new Error("bare server body differs");

    console.log(
      `[bench] body ${body.byteLength} bytes; ${CONNECTIONS} connections × ${DURATION_MS} ms × ${ROUNDS} rounds; pinned: ${canPin}`,
    );
    await loadRun(loadOptions(bareUrl, server.token, 1000));
    await loadRun(loadOptions(server.url, server.token, 1000));
    const bareRuns: number[] = [];
    const simRuns: number[] = [];
    const bareCpu: number[] = [];
    const simCpu: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Short back-to-back pairs, alternating which goes first, so load from elsewhere hits both alike.
      const bareFirst = round % 2 === 1;
      const first = await (bareFirst
        ? measure(bare, loadOptions(bareUrl, server.token, DURATION_MS))
        : measure(buildsim, loadOptions(server.url, server.token, DURATION_MS)));
      const second = await (bareFirst
        ? measure(buildsim, loadOptions(server.url, server.token, DURATION_MS))
        : measure(bare, loadOptions(bareUrl, server.token, DURATION_MS)));
      const [b, s] = bareFirst ? [first, second] : [second, first];
      bareRuns.push(b.requestsPerSecond);
      simRuns.push(s.requestsPerSecond);
      bareCpu.push(b.cpuMicrosPerRequest);
      simCpu.push(s.cpuMicrosPerRequest);
      console.log(
        `[bench] round ${round}: bare ${b.requestsPerSecond.toFixed(0)} req/s (${b.cpuMicrosPerRequest.toFixed(1)} µs CPU/req), buildsim ${s.requestsPerSecond.toFixed(0)} req/s (${s.cpuMicrosPerRequest.toFixed(1)} µs CPU/req)`,
      );
    }
    const ratios = simRuns.map((s, i) => s / bareRuns[i]!).sort((a, b) => a - b);
    const ratio = ratios[Math.floor(ratios.length / 2)]!;
    const summary = {
      builds: BUILDS,
      path: PATH,
      bodyBytes: body.byteLength,
      connections: CONNECTIONS,
      durationMs: DURATION_MS,
      rounds: ROUNDS,
      pinned: canPin,
      bareRequestsPerSecond: Math.round(mean(bareRuns)),
      buildsimRequestsPerSecond: Math.round(mean(simRuns)),
      ratio: Number(ratio.toFixed(3)),
      roundRatios: ratios.map((r) => Number(r.toFixed(3))),
      ratioOfMeans: Number((mean(simRuns) / mean(bareRuns)).toFixed(3)),
      bareCpuMicrosPerRequest: Number(mean(bareCpu).toFixed(1)),
      buildsimCpuMicrosPerRequest: Number(mean(simCpu).toFixed(1)),
      /** Bare CPU per request over buildsim's: the throughput ratio a CPU-bound server would reach. */
      cpuRatio: Number((mean(bareCpu) / mean(simCpu)).toFixed(3)),
      target: TARGET_RATIO,
      met: ratio >= TARGET_RATIO,
    };
    console.log(
      `[bench] server CPU per request: bare ${summary.bareCpuMicrosPerRequest} µs, buildsim ${summary.buildsimCpuMicrosPerRequest} µs (ratio ${summary.cpuRatio})`,
    );
    console.log(
      `[bench] bare ${summary.bareRequestsPerSecond} req/s, buildsim ${summary.buildsimRequestsPerSecond} req/s, median round ratio ${summary.ratio} (target ≥ ${TARGET_RATIO}: ${summary.met ? "met" : "NOT met"})`,
    );
    writeBenchResult("api", summary);
  } finally {
    for (const c of children) c.kill("SIGTERM");
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
