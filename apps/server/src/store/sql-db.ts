// The database handle the repositories use: the part of better-sqlite3's interface they call. SQLite's
// driver is it as is; the PostgreSQL store (postgres/pg-db.ts) implements it over a synchronous connection.

/** What a write reports. */
export interface RunResult {
  changes: number;
}

/** A prepared statement. Parameters are positional (`?`) or named (`@name`, given as one object). */
export interface Statement {
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): RunResult;
  iterate(...params: unknown[]): IterableIterator<unknown>;
  /** Rows come back as their first column's value. */
  pluck(toggle?: boolean): this;
  /** Rows come back as arrays of column values. */
  raw(toggle?: boolean): this;
}

/** A connection to the store's database. */
export interface Db {
  prepare(sql: string): Statement;
  /** Runs one or more statements without parameters (schema changes, maintenance). */
  exec(sql: string): unknown;
  /** Wraps `fn` so that calling it runs it in one transaction (committed on return, rolled back on throw). */
  transaction<T>(fn: () => T): () => T;
  readonly inTransaction: boolean;
  readonly open: boolean;
  close(): unknown;
}
