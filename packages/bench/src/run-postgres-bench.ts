// The PostgreSQL benchmarks (issue 16), on a throwaway cluster with pg_stat_statements:
// (a) claims: 3 servers × 30 runners on one schema over 10,000 pending builds (0 double claims, all
//     claimed), claims/s and PostgreSQL statements (round trips) per claim, beside one SQLite server
//     with 20 runners in the same run (run-ws-bench's claims) as the baseline;
// (b) the mixed API load on PostgreSQL ÷ on SQLite (pg-mix-bench.ts);
// (c) trace fan-out across servers: the runner on server A, 10 watchers on server B (the cluster bus,
//     LISTEN/NOTIFY), delivered lines/s ÷ the same on one PostgreSQL server, alternating rounds, and
//     runner→watcher latency across servers at 1,000 lines/s after a 1 s warm-up (target p99 < 10 ms),
//     beside the floor: the same through a bare relay that commits each line in PostgreSQL and NOTIFYs it
//     in the same statement (pg-bare-relay-main.ts), what any design that delivers only committed bytes
//     gets on this machine.
// Needs PostgreSQL (`node ../../scripts/system-deps.mjs postgresql`).
// Env: BENCH_PG_SERVERS (3), BENCH_PG_RUNNERS (30 per server), BENCH_CLAIM_RUNNERS (20), BENCH_CLAIM_BUILDS
//      (10000), BENCH_PG_BUILDS (20000), BENCH_CONNECTIONS (50), BENCH_DURATION_MS (2000), BENCH_ROUNDS (3),
//      BENCH_PG_PARTS ("claims,mix,fanout"), BENCH_WRITE_FRACTIONS ("0,0.05"), BENCH_WS_LINES (10000), BENCH_WS_WATCHERS (10), BENCH_WS_LATENCY_S (3).

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { env, loadAverage, writeBenchResult } from "./bench-children.js";
import { measureClaims } from "./claims-bench.js";
import { measureClusterClaims, type PgTarget } from "./pg-claims-bench.js";
import { measureFanoutAcrossServers } from "./pg-fanout-bench.js";
import { measureMixOnBackends } from "./pg-mix-bench.js";
import { psql } from "./pg-stats.js";

interface PgCluster {
  url: string;
  stop(): void;
}
interface ClusterScript {
  startPostgresCluster(settings?: string[]): Promise<PgCluster>;
  postgresBinDir(): string | undefined;
}

const SERVERS = env("BENCH_PG_SERVERS", 3);
const RUNNERS = env("BENCH_PG_RUNNERS", 30);
const SQLITE_RUNNERS = env("BENCH_CLAIM_RUNNERS", 20);
const BUILDS = env("BENCH_CLAIM_BUILDS", 10_000);
const MIX = {
  builds: env("BENCH_PG_BUILDS", 20_000),
  connections: env("BENCH_CONNECTIONS", 50),
  durationMs: env("BENCH_DURATION_MS", 2000),
  rounds: env("BENCH_ROUNDS", 3),
  writeFractions: (process.env.BENCH_WRITE_FRACTIONS ?? "0,0.05").split(",").map(Number),
};

/** Which parts run (all by default): a comma-separated subset of claims, mix, fanout. */
const PARTS = new Set((process.env.BENCH_PG_PARTS ?? "claims,mix,fanout").split(","));
const LINES = env("BENCH_WS_LINES", 10_000);
const WATCHERS = env("BENCH_WS_WATCHERS", 10);
const LATENCY_S = env("BENCH_WS_LATENCY_S", 3);

const here = path.dirname(fileURLToPath(import.meta.url));
const script = pathToFileURL(path.resolve(here, "../../../scripts/postgres-cluster.mjs")).href;
const { startPostgresCluster, postgresBinDir } = (await import(script)) as ClusterScript;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

const cluster = await startPostgresCluster(["shared_preload_libraries=pg_stat_statements"]);
const work = mkdtempSync(path.join(os.tmpdir(), "buildsim-pg-bench-"));
// An interrupted run still removes its cluster (its server processes outlive this one otherwise).
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    cluster.stop();
    process.exit(1);
  });
try {
  const binDir = postgresBinDir()!;
  psql(binDir, cluster.url, "CREATE EXTENSION pg_stat_statements");
  // As root the cluster runs as `postgres`; otherwise as this user.
  const uid =
    process.getuid?.() === 0 ? Number(execFileSync("id", ["-u", "postgres"]).toString()) : process.getuid!();
  const target = (schema: string): PgTarget => ({ url: `${cluster.url}?schema=${schema}`, binDir, uid });
  console.log(`[postgres] cluster at ${cluster.url}; load ${loadAverage()}`);

  const results: Record<string, unknown> = {};
  if (PARTS.has("claims")) {
    const pgClaims = await measureClusterClaims(target("claims"), SERVERS, RUNNERS, BUILDS);
    const sqliteClaims = await measureClaims(SQLITE_RUNNERS, BUILDS);
    const claims = {
      servers: SERVERS,
      runnersPerServer: RUNNERS,
      builds: BUILDS,
      ...pgClaims,
      sqlite: { runners: SQLITE_RUNNERS, ...sqliteClaims },
      ratioToSqlite: Number((pgClaims.perSecond / sqliteClaims.perSecond).toFixed(3)),
      loadAverage: loadAverage(),
    };
    const ok = pgClaims.doubleClaims === 0 && pgClaims.claimed === BUILDS;
    console.log(
      `[postgres] claims: ${SERVERS} servers × ${RUNNERS} runners, ${fmt(pgClaims.claimed)} of ${fmt(BUILDS)} claimed in ${pgClaims.ms.toFixed(0)} ms = ` +
        `${fmt(pgClaims.perSecond)} claims/s, ${pgClaims.doubleClaims} double claims ${ok ? "PASS" : "FAIL"}; ` +
        `${pgClaims.failedClaims} claims answered with an error and asked again; ` +
        `${pgClaims.statementsPerClaim.toFixed(2)} PostgreSQL statements per claim, CPU per claim: servers ${fmt(pgClaims.serverCpuMicrosPerClaim)} µs, ` +
        `PostgreSQL ${fmt(pgClaims.postgresCpuMicrosPerClaim)} µs; SQLite (1 server × ${SQLITE_RUNNERS} runners) ${fmt(sqliteClaims.perSecond)} claims/s ` +
        `(${fmt(1e6 / sqliteClaims.perCpuSecond)} µs CPU per claim): ratio ${claims.ratioToSqlite} (load ${claims.loadAverage})`,
    );
    for (const s of pgClaims.topStatements)
      console.log(`[postgres]   ${s.perClaim.toFixed(2)} per claim: ${s.text}`);
    results.claims = claims;
  }
  if (PARTS.has("mix")) {
    console.log(`[postgres] mix: populating ${fmt(MIX.builds)} builds in SQLite and in PostgreSQL…`);
    const mix = await measureMixOnBackends(target("mix"), work, MIX);
    for (const r of mix)
      console.log(
        `[postgres] mix at ${r.writeFraction * 100}% writes: PostgreSQL ${fmt(r.postgresRequestsPerSecond)} req/s (p99 ${r.postgresP99Ms} ms, ` +
          `${r.postgresCpuMicrosPerRequest} µs CPU, ${r.postgresStatementsPerRequest} statements per request) ÷ SQLite ${fmt(r.sqliteRequestsPerSecond)} req/s ` +
          `(p99 ${r.sqliteP99Ms} ms, ${r.sqliteCpuMicrosPerRequest} µs CPU) = ${r.ratio} (load ${r.loadAverage})`,
      );
    results.mix = { ...MIX, results: mix };
  }
  if (PARTS.has("fanout")) {
    const fanout = await measureFanoutAcrossServers(
      (schema) => target(schema),
      MIX.rounds,
      LINES,
      WATCHERS,
      LATENCY_S,
    );
    const { latency, latencyOneServer: alone, latencyFloor: floor } = fanout;
    console.log(
      `[postgres] fan-out across servers ÷ one server: median ${fanout.ratio}, ${fanout.statementsPerMessage.toFixed(2)} PostgreSQL statements and ` +
        `${fmt(fanout.cpuMicrosPerMessage)} µs server CPU (both servers) per runner message of 64 lines; latency across servers at 1,000 lines/s to ${WATCHERS} watchers: ` +
        `p50 ${latency.p50Ms.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms, max ${latency.maxMs.toFixed(2)} ms over ${fmt(latency.samples)} deliveries ` +
        `(target p99 < 10 ms) ${latency.p99Ms < 10 ? "PASS" : "FAIL"}; on one PostgreSQL server p50 ${alone.p50Ms.toFixed(2)} ms, ` +
        `p99 ${alone.p99Ms.toFixed(2)} ms; the floor (a bare relay that stores and NOTIFYs each line in one statement, ` +
        `across two processes) p50 ${floor.p50Ms.toFixed(2)} ms, p99 ${floor.p99Ms.toFixed(2)} ms (load ${fanout.loadAverage})`,
    );
    results.fanout = fanout;
  }
  writeBenchResult("postgres", results);
} finally {
  cluster.stop();
  rmSync(work, { recursive: true, force: true });
}
