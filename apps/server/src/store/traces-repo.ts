// Build traces as ordered byte chunks in SQLite, with the persisted length kept on the build row.

import type { ChangeLog } from "./change-log.js";
import type { Db } from "./sql-db.js";

/** What `append` did: the trace length afterwards, and how many new bytes it stored. */
export interface AppendTraceResult {
  /** False when `offset` is past the stored length (a gap); nothing was stored. */
  accepted: boolean;
  /** The persisted length in bytes after this call: where the next chunk must start. */
  length: number;
  /** Bytes actually added (0 for a repeat). */
  appendedBytes: number;
}

/** Reads and appends traces. */
export interface TracesRepo {
  length: (buildId: number) => number | undefined;
  /**
   * Appends `bytes` that start at byte `offset` of the trace. Idempotent: bytes below the stored
   * length are already there and are skipped (a repeat or an overlap is never stored twice); an
   * `offset` past the stored length is a gap and is refused. Throws for an unknown build.
   */
  append(buildId: number, offset: number, bytes: Uint8Array, at: string): AppendTraceResult;
  /** The whole trace (empty when none). */
  read(buildId: number): Buffer;
  /** Bytes [from, to) of the trace (fewer when it is shorter), reading only the chunks that hold them. */
  readRange(buildId: number, from: number, to: number): Buffer;
  /** Erases the trace (the build's length becomes 0). */
  erase(buildId: number, at: string): void;
}

/**
 * {@link TracesRepo} on the store's database; every write is recorded in `changes` for the read caches.
 * With `writingWith` (PostgreSQL) the usual append is one statement instead of two.
 */
export function createTracesRepo(db: Db, changes: ChangeLog, writingWith = false): TracesRepo {
  const lengthOf = db.prepare("SELECT trace_bytes FROM builds WHERE id = ?");
  const insertChunk = db.prepare('INSERT INTO trace_chunks (build_id, "offset", data) VALUES (?, ?, ?)');
  const setLength = db.prepare("UPDATE builds SET trace_bytes = ?, trace_updated_at = ? WHERE id = ?");
  // The usual append starts exactly at the stored length: moving the length only if it is still `offset`
  // checks that and claims the bytes in one statement, with no read before it (one round trip fewer
  // on PostgreSQL, where the row lock makes a concurrent append wait and then see the new length).
  const extendFrom = db.prepare(
    "UPDATE builds SET trace_bytes = ?, trace_updated_at = ? WHERE id = ? AND trace_bytes = ?",
  );
  // The same two writes as one statement: the chunk is inserted only if the length moved. Each statement
  // of the PostgreSQL store is a round trip that blocks the server's event loop (sync-pg-connection.ts).
  const extendAndInsert = writingWith
    ? db.prepare(
        `WITH moved AS (UPDATE builds SET trace_bytes = ?, trace_updated_at = ? WHERE id = ? AND trace_bytes = ? RETURNING id)
         INSERT INTO trace_chunks (build_id, "offset", data) SELECT id, ?, ? FROM moved`,
      )
    : undefined;
  const chunks = db.prepare('SELECT data FROM trace_chunks WHERE build_id = ? ORDER BY "offset"');
  const clear = db.prepare("DELETE FROM trace_chunks WHERE build_id = ?");
  // The chunk holding byte `from` (the last one starting at or before it) and every later one before `to`,
  // each cut to [from, to) by the database: a watcher catching up reads a large chunk in slices, and
  // sending the whole chunk for each slice made that quadratic (PostgreSQL sends every byte over the wire).
  // `skip` is how far into the chunk `from` lies; `offset` is quoted: a reserved word in PostgreSQL.
  const chunksIn = db.prepare(
    `SELECT "offset" + skip AS "offset", substr(data, skip + 1, CAST(@to - "offset" - skip AS INTEGER)) AS data
     FROM (SELECT "offset", data, CAST(CASE WHEN "offset" < @from THEN @from - "offset" ELSE 0 END AS INTEGER) AS skip
           FROM trace_chunks WHERE build_id = @id AND "offset" < @to AND "offset" >= COALESCE(
             (SELECT MAX("offset") FROM trace_chunks WHERE build_id = @id AND "offset" <= @from), 0)) AS hit
     ORDER BY "offset"`,
  );

  /** The length moved from `offset` to `end`, then the chunk stored; rows written (0: not moved). */
  const moveThenInsert = (end: number, at: string, buildId: number, offset: number, data: Buffer): number => {
    const moved = extendFrom.run(end, at, buildId, offset).changes;
    return moved > 0 ? moved + insertChunk.run(buildId, offset, data).changes : 0;
  };

  const length = (buildId: number): number | undefined =>
    (lengthOf.get(buildId) as { trace_bytes: number } | undefined)?.trace_bytes;

  return {
    length,
    /**
     * Appends `bytes` that start at byte `offset` of the trace. Idempotent: bytes below the stored
     * length are already there and are skipped (a repeat or an overlap is never stored twice); an
     * `offset` past the stored length is a gap and is refused. Throws for an unknown build.
     */
    append(buildId: number, offset: number, bytes: Uint8Array, at: string): AppendTraceResult {
      if (bytes.byteLength > 0 && Number.isSafeInteger(offset)) {
        const end = offset + bytes.byteLength;
        const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        // Rows written: the build's and the chunk's (0 when the length was not `offset`).
        const written = extendAndInsert
          ? 2 * extendAndInsert.run(end, at, buildId, offset, offset, data).changes
          : moveThenInsert(end, at, buildId, offset, data);
        if (written > 0) {
          changes.buildRowChanged(written, buildId);
          return { accepted: true, length: end, appendedBytes: bytes.byteLength };
        }
      }
      // A repeat, an overlap, a gap or an unknown build: what happens depends on the stored length.
      const current = length(buildId);
      if (current === undefined) throw new Error(`build ${buildId} does not exist`);
      if (!Number.isSafeInteger(offset) || offset < 0 || offset > current)
        return { accepted: false, length: current, appendedBytes: 0 };
      const end = offset + bytes.byteLength;
      if (end <= current) return { accepted: true, length: current, appendedBytes: 0 };
      const fresh = bytes.subarray(current - offset);
      const rows = insertChunk.run(
        buildId,
        current,
        Buffer.from(fresh.buffer, fresh.byteOffset, fresh.byteLength),
      ).changes;
      changes.buildRowChanged(rows + setLength.run(end, at, buildId).changes, buildId);
      return { accepted: true, length: end, appendedBytes: fresh.byteLength };
    },
    /** The whole trace (empty when none). */
    read(buildId: number): Buffer {
      const parts = (chunks.all(buildId) as { data: Buffer }[]).map((r) => r.data);
      return Buffer.concat(parts);
    },
    /** Bytes [from, to) of the trace (fewer when it is shorter), reading only the chunks that hold them. */
    readRange(buildId: number, from: number, to: number): Buffer {
      if (to <= from) return Buffer.alloc(0);
      const rows = chunksIn.all({ id: buildId, from, to }) as { offset: number; data: Buffer }[];
      if (rows.length === 0) return Buffer.alloc(0);
      const start = rows[0]!.offset;
      const joined = rows.length === 1 ? rows[0]!.data : Buffer.concat(rows.map((r) => r.data));
      return joined.subarray(Math.max(0, from - start), Math.max(0, to - start));
    },
    /** Erases the trace (the build's length becomes 0). */
    erase(buildId: number, at: string): void {
      const rows = clear.run(buildId).changes;
      changes.buildRowChanged(rows + setLength.run(0, at, buildId).changes, buildId);
    },
  };
}
