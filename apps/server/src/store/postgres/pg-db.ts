// The store's database handle (sql-db.ts) on PostgreSQL: statements translated once and prepared on the
// connection, transactions run SERIALIZABLE so that concurrent servers can never both act on one read.

import type { Db, RunResult, Statement } from "../sql-db.js";
import { PgError, type PgResult, SyncPgConnection } from "./sync-pg-connection.js";
import { bindArguments, type TranslatedSql, translateSql } from "./translate-sql.js";

/** {@link Db} on one PostgreSQL connection, plus what the store needs beyond better-sqlite3's surface. */
export class PgDb implements Db {
  readonly connection: SyncPgConnection;
  private txDepth = 0;
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
    this.connection.query(sql);
  }

  /** Runs a translated statement; counts what it changed. */
  execute(translated: TranslatedSql, name: string, args: readonly unknown[], rowMode?: "array"): PgResult {
    if (this.txDepth > 0 && this.doomed !== undefined) throw this.doomed;
    const run = () =>
      this.connection.query(translated.text, bindArguments(translated, args), {
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
        /^\s*(SELECT|WITH)\b/i.test(translated.text)
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
      this.connection.query("BEGIN ISOLATION LEVEL SERIALIZABLE");
      this.txDepth++;
      this.doomed = undefined;
      try {
        const result = fn();
        // A statement failed and `fn` went on: PostgreSQL would answer COMMIT with a silent ROLLBACK.
        if (this.doomed !== undefined) throw this.doomed;
        this.connection.query("COMMIT");
        return result;
      } catch (e) {
        // The transaction may already be gone (a failed COMMIT ends it, a lost connection takes it along):
        // the error to report is the one that ended it.
        if (!this.closed) {
          try {
            this.connection.query("ROLLBACK");
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
    this.writes = /^\s*(INSERT|UPDATE|DELETE)\b/i.test(translated.text);
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
