// What a database backend gives the store (create-store.ts): SQLite and PostgreSQL each provide one.

import type { ArtifactBlobs } from "./artifact-blobs.js";
import type { AsyncTraceWriter } from "./postgres/async-trace-writer.js";
import type { Db } from "./sql-db.js";
import type { SnapshotCatalog } from "./table-snapshot.js";

/** A database opened and migrated, with what the store needs beyond its statements. */
export interface StoreBackend {
  db: Db;
  /** Where uploads in flight (and, with file blobs, the archives) are kept. */
  artifactsDir: string;
  /** Where archives' bytes are kept. */
  artifactBlobs: ArtifactBlobs;
  catalog: SnapshotCatalog;
  /** Rows changed by writes since the database was opened (for the change log). */
  totalChanges(): number;
  /**
   * The `build_counts` slot this store moves counts in (migration 21): 0 on SQLite; on PostgreSQL one per
   * server, so that servers do not all update one row per project and status.
   */
  countSlot: number;
  /**
   * Whether one statement can update a row and insert from what the update returned (PostgreSQL's
   * data-modifying `WITH`; SQLite has none): a trace append is then one statement, a round trip fewer.
   */
  writingWith: boolean;
  /**
   * Trace appends that do not block the event loop (PostgreSQL: a connection of their own). SQLite has
   * none: its synchronous append costs microseconds, not a network round trip.
   */
  traceWriter?: AsyncTraceWriter;
  /** Whether a failed transaction lost a race with another writer, so that running it again may succeed. */
  isRetryable(error: unknown): boolean;
  /** Closes the database and removes what a throwaway store made. */
  close(): void;
}
