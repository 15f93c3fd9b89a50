// Where a test's `buildsim run` keeps its data: SQLite under its data directory, or, in the suite's
// `postgres` project, a PostgreSQL schema of its own per data directory (runs that share a data directory
// share the schema too, as they would share the SQLite file).

import path from "node:path";
import { createStore, type Store } from "@buildsim/server";
import { postgresDatabaseFor } from "../../../../../scripts/test-database.mjs";

/** The `postgres://` URL for `dataDir`'s runs in the `postgres` project; undefined on SQLite. */
export function runDatabase(dataDir: string): string | undefined {
  return postgresDatabaseFor(path.resolve(dataDir), "run");
}

/** `--db URL` for a run on `dataDir` in the `postgres` project; nothing on SQLite. */
export function runDatabaseArgs(dataDir: string): string[] {
  const db = runDatabase(dataDir);
  return db ? ["--db", db] : [];
}

/** startServer's `dataDir` and `db` to open what runs on `dataDir` stored. */
export function runServerOptions(dataDir: string): { dataDir: string; db?: string } {
  const db = runDatabase(dataDir);
  return db ? { dataDir, db } : { dataDir };
}

/** The store the runs on `dataDir` wrote, opened on its own. */
export function openRunStore(dataDir: string): Store {
  const db = runDatabase(dataDir);
  return createStore(db ? { postgres: db, dataDir } : { dataDir });
}
