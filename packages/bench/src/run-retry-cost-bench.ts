// What one v4 job retry costs the server, and what re-rendering the reads it invalidates adds, in server
// CPU per request (steady on a shared machine, unlike requests/s). Same server, same run, alternating
// phases over the mixed benchmark's 100,000 builds: one cached URL (the cheapest read), the 100 GETs with
// no writes, the same with 5 % writes, and retries alone. A retry's cost is the retries-alone phase; what
// it invalidates is the 5 % phase less 95 % of the no-write phase and 5 % of a retry, per retry.
// Env: BENCH_BUILDS (100000), BENCH_CONNECTIONS (4), BENCH_DURATION_MS (2000), BENCH_ROUNDS (3),
// BENCH_RETRY_PHASES ("read,mix0,mix5,retry"), BENCH_NODE_FLAGS (node flags for the buildsim child).

import { env, loadAverage, measure, median, writeBenchResult } from "./bench-children.js";
import type { LoadOptions } from "./load-generator.js";
import { mixReads, mixWrites } from "./mix-requests.js";
import { withMixServer } from "./mix-server.js";

const BUILDS = env("BENCH_BUILDS", 100_000);
const CONNECTIONS = env("BENCH_CONNECTIONS", 4);
const DURATION_MS = env("BENCH_DURATION_MS", 2000);
const ROUNDS = env("BENCH_ROUNDS", 3);
const PHASES = (process.env.BENCH_RETRY_PHASES ?? "read,mix0,mix5,retry").split(",");
const WRITE_SHARE = 0.05;

type Phase = "read" | "mix0" | "mix5" | "retry";

async function main(): Promise<void> {
  await withMixServer(BUILDS, "retry", async ({ child: buildsim, ...server }) => {
    const u = new URL(server.url);
    const reads = mixReads(BUILDS);
    const writes = mixWrites(BUILDS);
    const options = (phase: Phase, seed: number, durationMs = DURATION_MS): LoadOptions => {
      const base = {
        host: u.hostname,
        port: Number(u.port),
        path: "/",
        headers: { "PRIVATE-TOKEN": server.token },
        connections: CONNECTIONS,
        durationMs,
      };
      if (phase === "read") return { ...base, path: reads[reads.length - 1]!.path };
      const writeFraction = phase === "mix0" ? 0 : phase === "mix5" ? WRITE_SHARE : 1;
      return { ...base, mix: { reads, writes, writeFraction, seed } };
    };
    console.log(
      `[retry] ${CONNECTIONS} connections × ${DURATION_MS} ms × ${ROUNDS} rounds, phases ${PHASES.join(",")}; load ${loadAverage()}`,
    );
    // Every GET rendered once, so the no-write phases read from the cache as a dashboard's would.
    await measure(buildsim, options("mix0", 1, 1000));

    const cpu: Record<string, number[]> = {};
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate the order, so a phase is not always the one after the retries.
      const order = round % 2 === 1 ? PHASES : [...PHASES].reverse();
      for (const phase of order as Phase[]) {
        const r = await measure(buildsim, options(phase, round * 7919));
        cpu[phase] = [...(cpu[phase] ?? []), r.cpuMicrosPerRequest];
        console.log(
          `[retry] round ${round} ${phase}: ${r.cpuMicrosPerRequest.toFixed(1)} µs CPU/request (${r.requests} requests, ${r.writes} writes, ${r.requestsPerSecond.toFixed(0)} req/s)`,
        );
      }
    }
    const med = (phase: string) => (cpu[phase] ? Number(median(cpu[phase]).toFixed(1)) : null);
    const [read, mix0, mix5, retry] = [med("read"), med("mix0"), med("mix5"), med("retry")];
    const invalidation =
      mix0 !== null && mix5 !== null && retry !== null
        ? Number(((mix5 - (1 - WRITE_SHARE) * mix0 - WRITE_SHARE * retry) / WRITE_SHARE).toFixed(1))
        : null;
    const summary = {
      builds: BUILDS,
      connections: CONNECTIONS,
      durationMs: DURATION_MS,
      rounds: ROUNDS,
      cpuMicrosPerRequest: { read, mix0, mix5, retry },
      cpuByRound: cpu,
      invalidationMicrosPerRetry: invalidation,
      retryOverRead: read !== null && retry !== null ? Number((retry / read).toFixed(1)) : null,
      loadAverage: loadAverage(),
    };
    console.log(
      `[retry] medians, µs CPU per request: cached read ${read}, 100 GETs ${mix0}, with 5 % retries ${mix5}, retry alone ${retry}; re-rendering per retry ${invalidation} (load ${summary.loadAverage})`,
    );
    writeBenchResult("retry-cost", summary);
  });
}

await main();
