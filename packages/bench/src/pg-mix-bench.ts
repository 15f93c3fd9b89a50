// The mixed API load (run-mix-bench's 100 distinct GETs and v4 job retries) against buildsim on
// PostgreSQL and on SQLite holding the same builds: same load generator, same seeded request sequences,
// alternating rounds; the ratio is the median of per-round PostgreSQL ÷ SQLite requests/s. PostgreSQL's
// statements per request come from pg_stat_statements.

import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { firstLine, loadAverage, loadRun, mean, measure, median, node, runToEnd } from "./bench-children.js";
import type { LoadOptions } from "./load-generator.js";
import { mixReads, mixWrites } from "./mix-requests.js";
import type { PgTarget } from "./pg-claims-bench.js";
import { diffStatementCalls, statementCalls, totalCalls } from "./pg-stats.js";

/** Sizes of a run. */
export interface MixSizes {
  builds: number;
  connections: number;
  durationMs: number;
  rounds: number;
  writeFractions: number[];
}

/** Watchdog kept out of the run (the data has running builds and no runner), as run-mix-bench does. */
const IDLE = "3600000";

/** Populates `target` (data dir or postgres:// URL) and starts buildsim on it; its child and URL. */
async function serverOn(target: string, builds: number) {
  await runToEnd("populate-main.js", [target, String(builds)], 0);
  const child = node("bench-server-main.js", [target, IDLE, IDLE], 0);
  const { url, token } = await firstLine<{ url: string; token: string }>(child);
  return { child, url, token };
}

/** Requests/s and p99 on PostgreSQL ÷ on SQLite per write fraction; `workDir` holds the SQLite data. */
export async function measureMixOnBackends(pg: PgTarget, workDir: string, sizes: MixSizes) {
  const children: ChildProcess[] = [];
  try {
    const sqlite = await serverOn(path.join(workDir, "mix-sqlite"), sizes.builds);
    children.push(sqlite.child);
    const postgres = await serverOn(pg.url, sizes.builds);
    children.push(postgres.child);
    const reads = mixReads(sizes.builds);
    const writes = mixWrites(sizes.builds);
    const options = (url: string, writeFraction: number, seed: number, durationMs: number): LoadOptions => {
      const u = new URL(url);
      return {
        host: u.hostname,
        port: Number(u.port),
        path: "/",
        headers: { "PRIVATE-TOKEN": sqlite.token },
        connections: sizes.connections,
        durationMs,
        mix: { reads, writes, writeFraction, seed },
      };
    };
    // Warm both (caches filled, JIT warm) before measuring.
    for (const s of [sqlite, postgres]) await loadRun(options(s.url, 0, 1, 1000));
    const results = [];
    for (const writeFraction of sizes.writeFractions) {
      const ratios: number[] = [];
      const rows: Array<{ which: "sqlite" | "postgres"; rps: number; p99: number; cpu: number }> = [];
      let pgRequests = 0;
      let pgStatements = 0;
      for (let round = 1; round <= sizes.rounds; round++) {
        const seed = round * 7919 + Math.round(writeFraction * 1000);
        const order = round % 2 === 1 ? (["sqlite", "postgres"] as const) : (["postgres", "sqlite"] as const);
        const byWhich: Record<string, number> = {};
        for (const which of order) {
          const s = which === "sqlite" ? sqlite : postgres;
          const before = which === "postgres" ? statementCalls(pg.binDir, pg.url) : null;
          const r = await measure(s.child, options(s.url, writeFraction, seed, sizes.durationMs));
          if (before) {
            pgStatements += totalCalls(diffStatementCalls(before, statementCalls(pg.binDir, pg.url)));
            pgRequests += r.requests;
          }
          byWhich[which] = r.requestsPerSecond;
          rows.push({ which, rps: r.requestsPerSecond, p99: r.p99Ms, cpu: r.cpuMicrosPerRequest });
          console.log(
            `[postgres mix] ${writeFraction * 100}% writes, round ${round}: ${which} ${r.requestsPerSecond.toFixed(0)} req/s, p99 ${r.p99Ms.toFixed(1)} ms, ${r.cpuMicrosPerRequest.toFixed(0)} µs CPU/req`,
          );
        }
        ratios.push(byWhich.postgres! / byWhich.sqlite!);
      }
      const of = (which: string) => rows.filter((r) => r.which === which);
      results.push({
        writeFraction,
        sqliteRequestsPerSecond: Math.round(mean(of("sqlite").map((r) => r.rps))),
        postgresRequestsPerSecond: Math.round(mean(of("postgres").map((r) => r.rps))),
        ratio: Number(median(ratios).toFixed(3)),
        roundRatios: ratios.map((r) => Number(r.toFixed(3))),
        sqliteP99Ms: Number(median(of("sqlite").map((r) => r.p99)).toFixed(2)),
        postgresP99Ms: Number(median(of("postgres").map((r) => r.p99)).toFixed(2)),
        sqliteCpuMicrosPerRequest: Number(mean(of("sqlite").map((r) => r.cpu)).toFixed(1)),
        postgresCpuMicrosPerRequest: Number(mean(of("postgres").map((r) => r.cpu)).toFixed(1)),
        postgresStatementsPerRequest: Number((pgStatements / pgRequests).toFixed(3)),
        loadAverage: loadAverage(),
      });
    }
    return results;
  } finally {
    for (const c of children) c.kill("SIGTERM");
  }
}
