// The store's database handle (sql-db.ts) on PostgreSQL: statements translated once and prepared on the
// connection, transactions run SERIALIZABLE so that concurrent servers can never both act on one read.

import type { Db, RunResult, Statement } from "../sql-db.js";
import { PgError, type PgResult, SyncPgConnection } from "./sync-pg-connection.js";
import { bindArguments, type TranslatedSql, translateSql } from "./translate-sql.js";

/**
 * Hears one statement sent to PostgreSQL; `withNext` is true for a BEGIN that travels in the same round
 * trip of the bridge as the statement after it; `blocking` is false for one sent asynchronously (a trace
 * append, async-trace-writer.ts), whose round trip does not hold the event loop.
 */
export type PgStatementObserver = (sql: string, withNext: boolean, blocking: boolean) => void;

/** How the store's transactions start: serializable, so that servers can never both act on one read. */
const BEGIN = "BEGIN ISOLATION LEVEL SERIALIZABLE";

/** Listeners told the text of every statement sent (test support: round trips counted by SQL text). */
const statementObservers = new Set<PgStatementObserver>();

/**
 * Calls `observer` with the text of every statement any {@link PgDb} of this process sends from now on
 * (BEGIN and COMMIT included); returns the function that stops it.
 */
export function observePgStatements(observer: PgStatementObserver): () => void {
  statementObservers.add(observer);
  return () => statementObservers.delete(observer);
}

/** Tells the observers of a statement sent by the asynchronous trace writer. */
export function observedAsync(sql: string): void {
  for (const observe of statementObservers) observe(sql, false, false);
}

/** Whether `sql` changes data: a write, or a `WITH` whose parts write (PostgreSQL's data-modifying WITH). */
function writes(sql: string): boolean {
  return (
    /^\s*(INSERT|UPDATE|DELETE)\b/i.test(sql) ||
    (/^\s*WITH\b/i.test(sql) && /\b(INSERT|UPDATE|DELETE)\b/i.test(sql))
  );
}

/** {@link Db} on one PostgreSQL connection, plus what the store needs beyond better-sqlite3's surface. */
export class PgDb implements Db {
  readonly connection: SyncPgConnection;
  private txDepth = 0;
  /** Whether the open transaction's BEGIN has been sent (with its first statement). */
  private begun = false;
  /**
   * The error that failed a statement of the open transaction. PostgreSQL refuses every later statement
   * of that transaction (25P02), where SQLite carries on; so the cause is what later statements, and the
   * transaction itself, report: a serialization failure stays one, and the store runs the transaction
   * again instead of failing on "current transaction is aborted".
   */
  private doomed: unknown;
  private closed = false;
  private statementCount = 0;
  private readonly names = new Map<string, string>();
  /** Rows changed by writes since the connection opened (SQLite's `total_changes()`). */
  totalChanges = 0;

  constructor(url: string, schema?: string) {
    this.connection = new SyncPgConnection(url, schema);
  }

  get inTransaction(): boolean {
    return this.txDepth > 0;
  }

  get open(): boolean {
    return !this.closed;
  }

  prepare(sql: string): Statement {
    const translated = translateSql(sql);
    let name = this.names.get(translated.text);
    if (!name) {
      name = `s${++this.statementCount}`;
      this.names.set(translated.text, name);
    }
    return new PgStatement(this, translated, name);
  }

  exec(sql: string): void {
    this.send(sql);
  }

  /**
   * One round trip of the bridge, told to the observers first. The open transaction's BEGIN goes with its
   * first statement (see `transaction`).
   */
  private send(sql: string, params?: readonly unknown[], options?: { rowMode?: "array"; name?: string }) {
    const begin = this.txDepth > 0 && !this.begun ? BEGIN : undefined;
    if (begin) for (const observe of statementObservers) observe(begin, true, true);
    for (const observe of statementObservers) observe(sql, false, true);
    if (!begin) return this.connection.query(sql, params, options);
    // Whether it failed or not, a ROLLBACK is what ends it now (harmless when BEGIN itself failed).
    this.begun = true;
    return this.connection.query(sql, params, { ...options, begin });
  }

  /** Runs a translated statement; counts what it changed. */
  execute(translated: TranslatedSql, name: string, args: readonly unknown[], rowMode?: "array"): PgResult {
    if (this.txDepth > 0 && this.doomed !== undefined) throw this.doomed;
    const run = () =>
      this.send(translated.text, bindArguments(translated, args), {
        name,
        ...(rowMode ? { rowMode } : {}),
      });
    try {
      return run();
    } catch (e) {
      if (this.txDepth > 0) this.doomed = e;
      // A read outside a transaction that met a lost connection is simply asked again on the new one; a
      // write might have been applied, and a transaction is run again whole by the store.
      if (
        e instanceof PgError &&
        e.code === "08006" &&
        this.txDepth === 0 &&
        /^\s*(SELECT|WITH)\b/i.test(translated.text) &&
        !writes(translated.text)
      ) {
        return run();
      }
      throw e;
    }
  }

  /** Counts a write's changed rows (called by statements' `run`). */
  counted(result: PgResult): RunResult {
    this.totalChanges += result.rowCount;
    return { changes: result.rowCount };
  }

  transaction<T>(fn: () => T): () => T {
    return () => {
      if (this.txDepth > 0) return fn();
      // BEGIN is not sent on its own: it goes in the same round trip as the transaction's first
      // statement (the worker runs both), and a transaction that sent no statement sends neither BEGIN
      // nor COMMIT. Nothing is lost by the wait: PostgreSQL takes a SERIALIZABLE transaction's snapshot
      // at its first statement, not at BEGIN.
      this.txDepth++;
      this.begun = false;
      this.doomed = undefined;
      try {
        const result = fn();
        // A statement failed and `fn` went on: PostgreSQL would answer COMMIT with a silent ROLLBACK.
        if (this.doomed !== undefined) throw this.doomed;
        if (this.begun) this.send("COMMIT");
        return result;
      } catch (e) {
        // The transaction may already be gone (a failed COMMIT ends it, a lost connection takes it along):
        // the error to report is the one that ended it.
        if (!this.closed && this.begun) {
          try {
            this.send("ROLLBACK");
          } catch {}
        }
        throw e;
      } finally {
        this.txDepth--;
        this.doomed = undefined;
      }
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.close();
  }
}

/** A prepared statement with better-sqlite3's calling conventions (pluck, raw, undefined for no row). */
class PgStatement implements Statement {
  private plucked = false;
  private rawRows = false;
  /** A data-changing statement (decided once: `get`/`all` run on every read of the store). */
  private readonly writes: boolean;

  constructor(
    private readonly db: PgDb,
    private readonly translated: TranslatedSql,
    private readonly name: string,
  ) {
    this.writes = writes(translated.text);
  }

  pluck(toggle = true): this {
    this.plucked = toggle;
    return this;
  }

  raw(toggle = true): this {
    this.rawRows = toggle;
    return this;
  }

  get(...args: unknown[]): unknown {
    return this.rows(args)[0];
  }

  all(...args: unknown[]): unknown[] {
    return this.rows(args);
  }

  iterate(...args: unknown[]): IterableIterator<unknown> {
    return this.rows(args)[Symbol.iterator]();
  }

  run(...args: unknown[]): RunResult {
    return this.db.counted(this.db.execute(this.translated, this.name, args));
  }

  private rows(args: unknown[]): unknown[] {
    const arrays = this.plucked || this.rawRows;
    const { rows, rowCount } = this.db.execute(
      this.translated,
      this.name,
      args,
      arrays ? "array" : undefined,
    );
    // A data-changing statement with RETURNING answers rows too; count its changes like `run` does.
    if (this.writes) this.db.counted({ rows, rowCount });
    return this.plucked ? (rows as unknown[][]).map((r) => r[0]) : rows;
  }
}
