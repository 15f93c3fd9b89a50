// The claims measurement across servers: `servers` buildsim children on one PostgreSQL schema, each with
// `runnersPerServer` runners claiming `builds` pending builds, with PostgreSQL's own count of statements
// (pg_stat_statements) and the CPU time of the servers and of PostgreSQL.

import { claimUntilEmpty } from "./claims-bench.js";
import { diffStatementCalls, processCpuMicrosOfUser, statementCalls, totalCalls } from "./pg-stats.js";
import { type ChildServer, openRunner, startChild } from "./ws-bench-clients.js";
import { wsBenchRunnerToken } from "./ws-bench-seed.js";

/** Where PostgreSQL runs and how to read its counters. */
export interface PgTarget {
  /** A `postgres://` URL with a `?schema=` of its own for this run (empty: the first server seeds it). */
  url: string;
  /** The directory of `psql`. */
  binDir: string;
  /** The uid PostgreSQL's processes run as (for their CPU time). */
  uid: number;
}

/** `runnersPerServer` runners on each child claim until nothing is left; PostgreSQL's counts meanwhile. */
async function claimAcross(pg: PgTarget, children: ChildServer[], runnersPerServer: number, builds: number) {
  const clients = await Promise.all(
    Array.from({ length: children.length * runnersPerServer }, (_, i) =>
      openRunner(children[Math.floor(i / runnersPerServer)]!.url, wsBenchRunnerToken(i + 1)),
    ),
  );
  const statsBefore = statementCalls(pg.binDir, pg.url);
  const pgCpuBefore = processCpuMicrosOfUser(pg.uid);
  await Promise.all(children.map((c) => c.resetCpu()));
  const start = performance.now();
  const { got, failed } = await claimUntilEmpty(clients, builds);
  const ms = performance.now() - start;
  const pgCpuMicros = processCpuMicrosOfUser(pg.uid) - pgCpuBefore;
  const statements = diffStatementCalls(statsBefore, statementCalls(pg.binDir, pg.url));
  for (const c of clients) c.socket.terminate();
  return { got, failed, ms, statements, pgCpuMicros };
}

/** Claims per second, double claims, and PostgreSQL statements and CPU per claim. */
export async function measureClusterClaims(
  pg: PgTarget,
  servers: number,
  runnersPerServer: number,
  builds: number,
) {
  const seedArgs = [String(servers * runnersPerServer), String(builds), "10", "0", pg.url];
  // The first server seeds the empty schema; the others start on the seeded data once it listens.
  const children: ChildServer[] = [await startChild("ws-bench-server-main.js", seedArgs)];
  for (let s = 1; s < servers; s++) children.push(await startChild("ws-bench-server-main.js", seedArgs));
  let serverCpuMicros = 0;
  let measured: Awaited<ReturnType<typeof claimAcross>>;
  try {
    measured = await claimAcross(pg, children, runnersPerServer, builds);
  } finally {
    serverCpuMicros = (await Promise.all(children.map((c) => c.stop()))).reduce((a, b) => a + b, 0);
  }
  const { got, failed, ms, statements, pgCpuMicros } = measured;
  const claimed = new Set(got).size;
  return {
    claimed,
    doubleClaims: got.length - claimed,
    /** Claims answered with an error (a transaction that lost its retries) and asked again. */
    failedClaims: failed,
    ms,
    perSecond: got.length / (ms / 1000),
    /** PostgreSQL statements (each one round trip of the synchronous bridge) per claim. */
    statementsPerClaim: totalCalls(statements) / got.length,
    /** The statements most called, with calls per claim. */
    topStatements: statements.slice(0, 8).map(([text, n]) => ({ text, perClaim: n / got.length })),
    serverCpuMicrosPerClaim: serverCpuMicros / got.length,
    postgresCpuMicrosPerClaim: pgCpuMicros / got.length,
  };
}
