// SQLite's catalog for whole-store snapshots (table-snapshot.ts).

import type Database from "better-sqlite3";
import { quote, type SnapshotCatalog } from "./table-snapshot.js";

/** The snapshot catalog of an SQLite database. */
export function sqliteCatalog(db: Database.Database): SnapshotCatalog {
  return {
    tables() {
      const names = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'schema_migrations'")
        .pluck()
        .all() as string[];
      // sqlite_sequence (AUTOINCREMENT counters) is internal but plain DML works on it.
      return names.filter((n) => n === "sqlite_sequence" || !n.startsWith("sqlite_"));
    },
    columns(table) {
      return db
        .prepare(`SELECT * FROM ${quote(table)}`)
        .columns()
        .map((c) => c.name);
    },
    deferForeignKeys() {
      db.pragma("defer_foreign_keys = ON");
    },
    // SQLite hands out max(rowid) + 1 and keeps AUTOINCREMENT counters in sqlite_sequence, restored as rows.
    afterRestore() {},
  };
}
