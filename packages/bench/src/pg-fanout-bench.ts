// Trace fan-out across servers on PostgreSQL: the runner on server A, the watchers on server B (the
// cluster bus carries the chunks), against the same on one PostgreSQL server, alternating rounds; with
// PostgreSQL's statements per runner message and runner→watcher latency across servers at 1,000 lines/s,
// beside the same latency through a bare relay that commits each line before delivering it (the floor).

import { loadAverage, median } from "./bench-children.js";
import { measureFanout, measureLatency, RUNNER_CHUNK_LINES, RUNNER_LIKE } from "./fanout-bench.js";
import type { PgTarget } from "./pg-claims-bench.js";
import { diffStatementCalls, statementCalls, totalCalls } from "./pg-stats.js";

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** Delivered lines/s across servers ÷ on one server (median of rounds), costs per message, latency. */
export async function measureFanoutAcrossServers(
  target: (schema: string) => PgTarget,
  rounds: number,
  lines: number,
  watchers: number,
  latencySeconds: number,
) {
  // Each run needs a fresh schema: its seed's one build is claimed and streamed once.
  let schemas = 0;
  const fresh = (crossServer: boolean) => ({ ...target(`fanout_${++schemas}`), crossServer });
  const messages = Math.ceil(lines / RUNNER_CHUNK_LINES);
  const results = [];
  let statements = 0;
  let cpuMicros = 0;
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? [false, true] : [true, false];
    const byCross = new Map<boolean, Awaited<ReturnType<typeof measureFanout>>>();
    for (const cross of order) {
      const place = fresh(cross);
      const before = statementCalls(place.binDir, place.url);
      const r = await measureFanout("buildsim", lines, watchers, RUNNER_LIKE, {
        db: place.url,
        crossServer: cross,
      });
      if (cross) {
        statements += totalCalls(diffStatementCalls(before, statementCalls(place.binDir, place.url)));
        cpuMicros += ((lines * watchers) / r.perCpuSecond) * 1e6;
      }
      byCross.set(cross, r);
    }
    const one = byCross.get(false)!;
    const two = byCross.get(true)!;
    results.push({
      oneServer: one.perSecond,
      crossServer: two.perSecond,
      ratio: two.perSecond / one.perSecond,
    });
    console.log(
      `[postgres] fan-out round ${round}: one server ${fmt(one.perSecond)} lines/s (${fmt(one.perCpuSecond)} per CPU-s), ` +
        `across servers ${fmt(two.perSecond)} lines/s (${fmt(two.perCpuSecond)} per CPU-s of both), ratio ${(two.perSecond / one.perSecond).toFixed(2)}`,
    );
  }
  const across = fresh(true);
  const latency = await measureLatency(latencySeconds, watchers, { db: across.url, crossServer: true });
  // The same on one PostgreSQL server: what the bus adds, apart from what PostgreSQL writes cost.
  const alone = fresh(false);
  const latencyOneServer = await measureLatency(latencySeconds, watchers, {
    db: alone.url,
    crossServer: false,
  });
  // The floor: the least any server can do across two processes through PostgreSQL, on this machine.
  const cluster = new URL(target("floor").url);
  cluster.search = "";
  const latencyFloor = await measureLatency(latencySeconds, watchers, undefined, cluster.toString());
  return {
    lines,
    watchers,
    rounds: results,
    ratio: Number(median(results.map((r) => r.ratio)).toFixed(3)),
    /** Statements (setup included: claim, watchers' first reads) per runner message across servers. */
    statementsPerMessage: statements / (messages * rounds),
    /** Server CPU (both servers, setup excluded) per runner message of RUNNER_CHUNK_LINES lines. */
    cpuMicrosPerMessage: cpuMicros / (messages * rounds),
    latency,
    latencyOneServer,
    /** The same latency through the bare relay (pg-bare-relay-main.ts): what the machine allows. */
    latencyFloor,
    loadAverage: loadAverage(),
  };
}
