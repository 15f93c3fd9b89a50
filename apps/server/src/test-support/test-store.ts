// Which database the tests' stores use: SQLite in memory by default, or PostgreSQL when
// BUILDSIM_TEST_BACKEND=postgres (the suite's second run; vitest.global-setup.ts starts the cluster).

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createStore, type Store } from "../store/create-store.js";
import { SyncPgConnection } from "../store/postgres/sync-pg-connection.js";
import { testPostgresUrl } from "./cluster-postgres.js";

/** True when this test run keeps its stores in PostgreSQL. */
export const ON_POSTGRES = process.env.BUILDSIM_TEST_BACKEND === "postgres";

/**
 * Schemas this test process made and migrated, free for the next store. Creating and migrating a schema
 * takes about half a second; emptying one takes a few milliseconds, so each process reuses its own.
 */
const freeSchemas: string[] = [];
let schemaCount = 0;
let admin: SyncPgConnection | undefined;

/** Per schema: the statements that empty it, built once (information_schema is slow to ask). */
const emptiers = new Map<string, string>();

/**
 * Empties every table of `schema` and restarts its id counters: a fresh store, without the migration.
 * DELETE rather than TRUNCATE: on a few rows it is much cheaper than TRUNCATE's new files per table.
 */
function emptySchema(schema: string): void {
  admin ??= new SyncPgConnection(testPostgresUrl());
  let text = emptiers.get(schema);
  if (!text) {
    const tables = admin.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'schema_migrations'",
      [schema],
    ).rows as { table_name: string }[];
    const identities = admin.query(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND is_identity = 'YES'",
      [schema],
    ).rows as { table_name: string; column_name: string }[];
    text = [
      "BEGIN",
      "SET CONSTRAINTS ALL DEFERRED",
      ...tables.map((t) => `DELETE FROM "${schema}"."${t.table_name}"`),
      ...identities.map(
        (c) =>
          `SELECT setval(pg_get_serial_sequence('"${schema}"."${c.table_name}"', '${c.column_name}'), 1, false)`,
      ),
      "COMMIT",
    ].join(";\n");
    emptiers.set(schema, text);
  }
  admin.query(text);
}

/** A throwaway store on this run's backend: emptied when closed. */
export function createTestStore(): Store {
  if (!ON_POSTGRES) return createStore({ memory: true });
  const reused = freeSchemas.pop();
  const schema = reused ?? `test_${process.pid}_${++schemaCount}`;
  if (reused) emptySchema(schema);
  const url = new URL(testPostgresUrl());
  url.searchParams.set("schema", schema);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-test-"));
  const store = createStore({ postgres: url.toString(), dataDir });
  const close = store.close.bind(store);
  let closed = false;
  store.close = () => {
    close();
    if (closed) return;
    closed = true;
    rmSync(dataDir, { recursive: true, force: true });
    freeSchemas.push(schema);
  };
  return store;
}
