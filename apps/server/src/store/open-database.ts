// Opens the SQLite database (a file in WAL mode, or :memory:) and brings its schema up to date.

import Database from "better-sqlite3";
import { MIGRATIONS, type Migration } from "./migrations.js";
import type { Db } from "./sql-db.js";

/** better-sqlite3's handle (the SQLite backend's own code uses its whole surface). */
export type SqliteDb = Database.Database;

/**
 * Opens `filename` (`:memory:` for an in-memory database) and applies every pending migration, each in
 * its own transaction and recorded in `schema_migrations`.
 */
export function openDatabase(filename: string, migrations: readonly Migration[] = MIGRATIONS): SqliteDb {
  const db = new Database(filename);
  if (filename !== ":memory:") db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  // WAL with NORMAL is durable across application crashes; fsync on checkpoint only.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  migrate(db, migrations);
  return db;
}

/** Applies the migrations not yet recorded; returns the versions applied now. */
export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
  );
  const applied = new Set(
    (db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const record = db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    done.push(m.version);
  }
  return done;
}
