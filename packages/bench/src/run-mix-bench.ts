import { writeFileSync } from "node:fs";
import path from "node:path";
import {
  canPin,
  env,
  firstLine,
  loadAverage,
  loadRun,
  mean,
  measure,
  median,
  node,
  writeBenchResult,
} from "./bench-children.js";
import type { LoadOptions, MixRequest } from "./load-generator.js";
import { mixReads, mixWrites } from "./mix-requests.js";
import { withMixServer } from "./mix-server.js";
import { type RecordedResponses, recordResponse } from "./record-responses.js";

const BUILDS = env("BENCH_BUILDS", 100_000);
const CONNECTIONS = env("BENCH_CONNECTIONS", 50);
const DURATION_MS = env("BENCH_DURATION_MS", 2000);
const ROUNDS = env("BENCH_ROUNDS", 5);
const WRITE_FRACTIONS = (process.env.BENCH_WRITE_FRACTIONS ?? "0,0.01,0.05").split(",").map(Number);
const TARGET_RATIO = 0.5;

async function main(): Promise<void> {
  await withMixServer(BUILDS, "mix", async ({ child: buildsim, ...server }, scratch) => {
    const reads = mixReads(BUILDS);
    const writes = mixWrites(BUILDS);

    // Record every GET (before any write) and one retry: the bare server's map.
    const recorded: RecordedResponses = {};
    for (const r of [...reads, writes[0]!]) {
      const { recorded: one } = await recordResponse(server.url, r.method, r.path, server.token);
      recorded[`${r.method} ${r.path}`] = one;
    }
    const recordFile = path.join(scratch.dir, "responses.json");
    writeFileSync(recordFile, JSON.stringify(recorded));
    const bare = node("bare-server-main.js", [recordFile], 0);
    scratch.keep(bare);
    const bareUrl = (await firstLine<{ url: string }>(bare)).url;
    const bodyBytes = reads.map(
      (r) => Buffer.from(recorded[`GET ${r.path}`]!.bodyBase64, "base64").byteLength,
    );
    console.log(
      `[mix] ${reads.length} GETs (mean body ${Math.round(mean(bodyBytes))} bytes), ${writes.length} retry targets; ${CONNECTIONS} connections × ${DURATION_MS} ms × ${ROUNDS} rounds; pinned: ${canPin}; load ${loadAverage()}`,
    );

    const options = (url: string, writeFraction: number, seed: number, durationMs: number): LoadOptions => {
      const u = new URL(url);
      // The bare server has one recorded retry answer: any write gets it.
      const w: MixRequest[] = url === bareUrl ? [writes[0]!] : writes;
      return {
        host: u.hostname,
        port: Number(u.port),
        path: "/",
        headers: { "PRIVATE-TOKEN": server.token },
        connections: CONNECTIONS,
        durationMs,
        mix: { reads, writes: w, writeFraction, seed },
      };
    };
    await loadRun(options(bareUrl, 0, 1, 1000));
    await loadRun(options(server.url, 0, 1, 1000));

    const results = [];
    for (const writeFraction of WRITE_FRACTIONS) {
      const ratios: number[] = [];
      const bareRps: number[] = [];
      const simRps: number[] = [];
      const bareP99: number[] = [];
      const simP99: number[] = [];
      const simCpu: number[] = [];
      const bareCpu: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const seed = round * 7919 + Math.round(writeFraction * 1000);
        const bareFirst = round % 2 === 1;
        const run = (which: "bare" | "sim") =>
          which === "bare"
            ? measure(bare, options(bareUrl, writeFraction, seed, DURATION_MS))
            : measure(buildsim, options(server.url, writeFraction, seed, DURATION_MS));
        const first = await run(bareFirst ? "bare" : "sim");
        const second = await run(bareFirst ? "sim" : "bare");
        const [b, s] = bareFirst ? [first, second] : [second, first];
        ratios.push(s.requestsPerSecond / b.requestsPerSecond);
        bareRps.push(b.requestsPerSecond);
        simRps.push(s.requestsPerSecond);
        bareP99.push(b.p99Ms);
        simP99.push(s.p99Ms);
        bareCpu.push(b.cpuMicrosPerRequest);
        simCpu.push(s.cpuMicrosPerRequest);
        console.log(
          `[mix] ${writeFraction * 100}% writes, round ${round}: bare ${b.requestsPerSecond.toFixed(0)} req/s p99 ${b.p99Ms.toFixed(1)} ms, buildsim ${s.requestsPerSecond.toFixed(0)} req/s p99 ${s.p99Ms.toFixed(1)} ms (${s.writes} writes, ${s.cpuMicrosPerRequest.toFixed(0)} µs CPU/req)`,
        );
      }
      const result = {
        writeFraction,
        bareRequestsPerSecond: Math.round(mean(bareRps)),
        buildsimRequestsPerSecond: Math.round(mean(simRps)),
        ratio: Number(median(ratios).toFixed(3)),
        roundRatios: ratios.map((r) => Number(r.toFixed(3))),
        bareP99Ms: Number(median(bareP99).toFixed(2)),
        buildsimP99Ms: Number(median(simP99).toFixed(2)),
        bareCpuMicrosPerRequest: Number(mean(bareCpu).toFixed(1)),
        buildsimCpuMicrosPerRequest: Number(mean(simCpu).toFixed(1)),
        loadAverage: loadAverage(),
      };
      results.push(result);
      console.log(
        `[mix] ${writeFraction * 100}% writes: bare ${result.bareRequestsPerSecond} req/s, buildsim ${result.buildsimRequestsPerSecond} req/s, median ratio ${result.ratio}, p99 bare ${result.bareP99Ms} ms / buildsim ${result.buildsimP99Ms} ms (load ${result.loadAverage})`,
      );
    }
    const atFive = results.find((r) => r.writeFraction === 0.05);
    const summary = {
      builds: BUILDS,
      reads: reads.length,
      connections: CONNECTIONS,
      durationMs: DURATION_MS,
      rounds: ROUNDS,
      pinned: canPin,
      results,
      target: TARGET_RATIO,
      met: atFive ? atFive.ratio >= TARGET_RATIO : null,
    };
    if (atFive)
      console.log(
        `[mix] at 5% writes: ratio ${atFive.ratio} (target ≥ ${TARGET_RATIO}: ${summary.met ? "met" : "NOT met"})`,
      );
    writeBenchResult("mix", summary);
  });
}

await main();
