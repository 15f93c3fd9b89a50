// PostgreSQL's database handle behaves as the store expects SQLite's to (sql-db.ts), where the two differ.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testPostgresUrl } from "../../test-support/cluster-postgres.js";
import { observePgStatements, PgDb } from "./pg-db.js";

let db: PgDb;
beforeAll(() => {
  db = new PgDb(testPostgresUrl(), `sqldb_test_${process.pid}`);
  db.exec("CREATE TABLE t (a BIGINT PRIMARY KEY, b BIGINT NOT NULL)");
});
afterAll(() => {
  db.exec(`DROP SCHEMA sqldb_test_${process.pid} CASCADE`);
  db.close();
});

describe("PgDb", () => {
  it("answers rows, plucked values and raw arrays as better-sqlite3 does, with numbers for BIGINT", () => {
    db.prepare("INSERT INTO t (a, b) VALUES (?, ?), (?, ?)").run(1, 10, 2, 20);
    expect(db.prepare("SELECT a, b FROM t WHERE a = @a").get({ a: 2 })).toEqual({ a: 2, b: 20 });
    expect(db.prepare("SELECT b FROM t ORDER BY a").pluck().all()).toEqual([10, 20]);
    expect(db.prepare("SELECT a, b FROM t ORDER BY a").raw().all()).toEqual([
      [1, 10],
      [2, 20],
    ]);
    expect(db.prepare("SELECT COUNT(*) AS n, EXISTS (SELECT 1 FROM t) AS e FROM t").get()).toEqual({
      n: 2,
      e: 1,
    });
    expect(db.prepare("SELECT a FROM t WHERE a = ?").get(3)).toBeUndefined();
  });

  it("rolls a transaction back, and reports the failure that doomed it even when the code went on", () => {
    const insert = db.prepare("INSERT INTO t (a, b) VALUES (?, ?)");
    const run = db.transaction(() => {
      insert.run(5, 50);
      try {
        insert.run(1, 0); // duplicate key: PostgreSQL aborts the transaction here
      } catch {
        // SQLite would let the transaction go on; PostgreSQL refuses everything after.
      }
      return db.prepare("SELECT COUNT(*) AS n FROM t").get();
    });
    expect(run).toThrow(/duplicate key/);
    expect(db.prepare("SELECT a FROM t WHERE a = 5").get()).toBeUndefined();
    expect(db.inTransaction).toBe(false);
  });

  it("never commits silently what PostgreSQL rolled back: a swallowed failure fails the transaction", () => {
    const run = db.transaction(() => {
      db.prepare("INSERT INTO t (a, b) VALUES (?, ?)").run(6, 60);
      try {
        db.prepare("INSERT INTO t (a, b) VALUES (?, ?)").run(1, 0);
      } catch {}
    });
    expect(run).toThrow(/duplicate key/);
    expect(db.prepare("SELECT a FROM t WHERE a = 6").get()).toBeUndefined();
  });

  it("sends a transaction's BEGIN with its first statement, and neither BEGIN nor COMMIT when it ran none", () => {
    const sent: Array<[string, boolean]> = [];
    const stop = observePgStatements((sql, withNext) => sent.push([sql, withNext]));
    try {
      db.transaction(() => undefined)();
      expect(sent).toEqual([]);
      db.transaction(() => {
        db.prepare("INSERT INTO t (a, b) VALUES (?, ?)").run(7, 70);
        // The snapshot is the transaction's: a read sees its own write.
        expect(db.prepare("SELECT b FROM t WHERE a = 7").pluck().get()).toBe(70);
      })();
    } finally {
      stop();
    }
    expect(sent).toEqual([
      ["BEGIN ISOLATION LEVEL SERIALIZABLE", true],
      ["INSERT INTO t (a, b) VALUES ($1, $2)", false],
      ["SELECT b FROM t WHERE a = 7", false],
      ["COMMIT", false],
    ]);
    // A failing first statement still ends its transaction: the next one starts clean.
    expect(db.transaction(() => db.prepare("INSERT INTO t (a, b) VALUES (?, ?)").run(7, 0))).toThrow(
      /duplicate key/,
    );
    expect(db.inTransaction).toBe(false);
    db.transaction(() => db.prepare("INSERT INTO t (a, b) VALUES (?, ?)").run(8, 80))();
    expect(db.prepare("SELECT b FROM t WHERE a = 8").pluck().get()).toBe(80);
  });
});
