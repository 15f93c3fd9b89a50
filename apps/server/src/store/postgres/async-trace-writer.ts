// Trace appends on PostgreSQL without blocking the event loop. Every other statement of the store goes
// through the synchronous bridge (sync-pg-connection.ts), which holds the server's thread for each round
// trip; a runner's trace stream is the one steady write, so it gets a connection of its own (a `pg` pool
// of one, which opens a new connection after a lost one) and one asynchronous statement per batch.
//
// Only the usual append is done here: each build's bytes start exactly at its stored length. One
// statement moves every such build's length and inserts its chunk, autocommitted; a build whose length
// was not where its bytes start (a repeat, a gap, a deleted build) is left to the store's synchronous
// append, which knows those cases. The UPDATE's condition makes the statement safe to repeat: a second
// run after a lost answer moves nothing (and so NOTIFYs nothing).
//
// On a cluster, the statement also NOTIFYs the other servers of the bytes it stored (`notices`): they
// hear of a live trace line with the commit itself, as PostgreSQL delivers a transaction's
// notifications when it commits, instead of after one more round trip on the bus's connection.

import pg from "pg";
import { observedAsync } from "./pg-db.js";

/** One build's new bytes, starting at `offset`, its stored length as the runner knows it. */
export interface TraceRun {
  buildId: number;
  offset: number;
  bytes: Uint8Array;
  /**
   * NOTIFY payloads that announce these bytes, sent by the same statement, so in the same commit, and
   * only if the bytes were stored: the other servers hear of them with the commit, not one round trip
   * after it (cluster-relay.ts).
   */
  notices?: readonly string[];
}

/** Appends runs of distinct builds; resolves with whether each one's length was moved (stored). */
export interface AsyncTraceWriter {
  /** `channel`: where the runs' `notices` go (none are sent without it). */
  extend(runs: readonly TraceRun[], at: string, channel?: string): Promise<boolean[]>;
  close(): Promise<void>;
}

// One build: the chunk is inserted only if the length moved (a data-modifying WITH, one statement).
const EXTEND_ONE = `WITH moved AS (
  UPDATE builds SET trace_bytes = $1, trace_updated_at = $2 WHERE id = $3 AND trace_bytes = $4 RETURNING id)
INSERT INTO trace_chunks (build_id, "offset", data) SELECT id, $4, $5 FROM moved`;

// Several builds at once, from parallel arrays (a statement's size does not grow with its text).
const EXTEND_MANY = `WITH input AS (
  SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bytea[]) AS t(id, start, finish, data)),
moved AS (
  UPDATE builds b SET trace_bytes = i.finish, trace_updated_at = $5 FROM input i
  WHERE b.id = i.id AND b.trace_bytes = i.start RETURNING b.id)
INSERT INTO trace_chunks (build_id, "offset", data)
SELECT i.id, i.start, i.data FROM input i JOIN moved m ON m.id = i.id RETURNING build_id`;

// EXTEND_ONE, then the run's notices in order (PostgreSQL evaluates a volatile output column after the
// ORDER BY), and only if the chunk was inserted: a row per notice sent, none when nothing was stored.
const EXTEND_ONE_TOLD = `WITH moved AS (
  UPDATE builds SET trace_bytes = $1, trace_updated_at = $2 WHERE id = $3 AND trace_bytes = $4 RETURNING id),
stored AS (INSERT INTO trace_chunks (build_id, "offset", data) SELECT id, $4, $5 FROM moved RETURNING build_id)
SELECT pg_notify($6, t.p) FROM stored, unnest($7::text[]) WITH ORDINALITY AS t(p, n) ORDER BY t.n`;

// EXTEND_MANY, then the notices of the runs that were stored, in order ($7: each notice's build, $8: the
// notices). The notices' CTE runs once, when the scalar subquery is first needed: with the first row,
// so never when nothing was stored.
const EXTEND_MANY_TOLD = `WITH input AS (
  SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bytea[]) AS t(id, start, finish, data)),
moved AS (
  UPDATE builds b SET trace_bytes = i.finish, trace_updated_at = $5 FROM input i
  WHERE b.id = i.id AND b.trace_bytes = i.start RETURNING b.id),
stored AS (
  INSERT INTO trace_chunks (build_id, "offset", data)
  SELECT i.id, i.start, i.data FROM input i JOIN moved m ON m.id = i.id RETURNING build_id),
told AS (
  SELECT pg_notify($6, x.p) FROM unnest($7::bigint[], $8::text[]) WITH ORDINALITY AS x(id, p, n)
  WHERE x.id IN (SELECT build_id FROM stored) ORDER BY x.n)
SELECT build_id, (SELECT count(*) FROM told) AS told FROM stored`;

const asBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** Opens the writer's pool on `url` (no `?schema=`), in `schema`, which the store has created. */
export function openAsyncTraceWriter(url: string, schema: string): AsyncTraceWriter {
  const pool = new pg.Pool({
    connectionString: url,
    max: 1,
    // The schema is part of the connection's startup, so no statement can run before it is set.
    options: `-c search_path="${schema}"`,
    application_name: "buildsim traces",
    // An idle connection must not keep a finished process alive (the store's own ends with `close`).
    allowExitOnIdle: true,
  });
  // A connection lost while idle: the pool drops it and opens another for the next statement.
  pool.on("error", () => {});
  return {
    async extend(runs, at, channel) {
      const told = channel !== undefined && runs.some((r) => (r.notices?.length ?? 0) > 0);
      if (runs.length === 1) {
        const r = runs[0]!;
        const notices = told ? (r.notices ?? []) : [];
        const text = notices.length > 0 ? EXTEND_ONE_TOLD : EXTEND_ONE;
        observedAsync(text);
        const end = r.offset + r.bytes.byteLength;
        const values: unknown[] = [end, at, r.buildId, r.offset, asBuffer(r.bytes)];
        if (notices.length > 0) values.push(channel, notices);
        const result = await pool.query({
          name: notices.length > 0 ? "extend_trace_one_told" : "extend_trace_one",
          text,
          values,
        });
        // A row per notice sent, or the one inserted chunk: either way, none when nothing was stored.
        return [(result.rowCount ?? 0) > 0];
      }
      const text = told ? EXTEND_MANY_TOLD : EXTEND_MANY;
      observedAsync(text);
      const values: unknown[] = [
        runs.map((r) => r.buildId),
        runs.map((r) => r.offset),
        runs.map((r) => r.offset + r.bytes.byteLength),
        runs.map((r) => asBuffer(r.bytes)),
        at,
      ];
      if (told)
        values.push(
          channel,
          runs.flatMap((r) => (r.notices ?? []).map(() => r.buildId)),
          runs.flatMap((r) => r.notices ?? []),
        );
      const result = await pool.query<{ build_id: string }>({
        name: told ? "extend_trace_many_told" : "extend_trace_many",
        text,
        values,
      });
      const moved = new Set(result.rows.map((row) => Number(row.build_id)));
      return runs.map((r) => moved.has(r.buildId));
    },
    close: () => pool.end(),
  };
}
