// What PostgreSQL itself counts during a benchmark: statements executed (pg_stat_statements, read with
// psql) and the CPU time of its processes (/proc), so round trips and database CPU per operation come
// from the database, not from buildsim's own bookkeeping.

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** Calls per normalized statement text, as pg_stat_statements counts them. */
export type StatementCalls = Map<string, number>;

/** The query that lists calls per statement, one `calls<TAB>text` line each (text on one line). */
export const STATEMENT_CALLS_SQL =
  "SELECT calls, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) FROM pg_stat_statements " +
  "WHERE query NOT LIKE '%pg_stat_statements%'";

/** Parses psql's `-At -F '\t'` output of STATEMENT_CALLS_SQL (texts that normalize alike are summed). */
export function parseStatementCalls(output: string): StatementCalls {
  const calls: StatementCalls = new Map();
  for (const line of output.split("\n")) {
    if (line.trim() === "") continue;
    const tab = line.indexOf("\t");
    const n = Number(line.slice(0, tab));
    if (tab < 0 || !Number.isInteger(n)) throw new Error(`not a pg_stat_statements row: "${line}"`);
    const text = line.slice(tab + 1);
    calls.set(text, (calls.get(text) ?? 0) + n);
  }
  return calls;
}

/** Calls made between `before` and `after`, per statement, largest first (statements not called left out). */
export function diffStatementCalls(before: StatementCalls, after: StatementCalls): Array<[string, number]> {
  const diff: Array<[string, number]> = [];
  for (const [text, n] of after) {
    const d = n - (before.get(text) ?? 0);
    if (d > 0) diff.push([text, d]);
  }
  return diff.sort((a, b) => b[1] - a[1]);
}

/** The total of a diff's calls. */
export const totalCalls = (diff: Array<[string, number]>): number => diff.reduce((s, [, n]) => s + n, 0);

/** Runs `sql` with psql (in `binDir`) against `url`; its unaligned, tab-separated output. */
export function psql(binDir: string, url: string, sql: string): string {
  // psql refuses buildsim's `?schema=`; the statistics are the whole cluster's anyway.
  const database = new URL(url);
  database.search = "";
  const args = [database.href, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-c", sql];
  return execFileSync(path.join(binDir, "psql"), args, { encoding: "utf8" });
}

/** The statement calls pg_stat_statements holds now. */
export const statementCalls = (binDir: string, url: string): StatementCalls =>
  parseStatementCalls(psql(binDir, url, STATEMENT_CALLS_SQL));

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, µs) of the processes owned by `uid` (the PostgreSQL server's), with that of
 * their reaped children (the postmaster's cutime/cstime holds backends that have exited).
 */
export function processCpuMicrosOfUser(uid: number): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (statSync(`/proc/${pid}`).uid !== uid) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the parenthesized command: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // The process ended between listing and reading.
    }
  }
  return (ticks / TICKS_PER_SECOND) * 1e6;
}
