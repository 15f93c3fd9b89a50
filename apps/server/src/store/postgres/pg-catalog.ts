// PostgreSQL's catalog for whole-store snapshots (table-snapshot.ts).

import type { Db } from "../sql-db.js";
import { quote, type SnapshotCatalog } from "../table-snapshot.js";

/** The snapshot catalog of the store's schema (the connection's `search_path`). */
export function pgCatalog(db: Db): SnapshotCatalog {
  const tables = db
    .prepare(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
       ORDER BY table_name`,
    )
    .pluck();
  const columns = db
    .prepare(
      `SELECT column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`,
    )
    .pluck();
  const identities = db.prepare(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND is_identity = 'YES'`,
  );
  return {
    tables: () => tables.all() as string[],
    columns: (table) => columns.all(table) as string[],
    // The schema declares every foreign key DEFERRABLE for this (pg-migrations.ts).
    deferForeignKeys() {
      db.exec("SET CONSTRAINTS ALL DEFERRED");
    },
    // Identity columns count on their own: move each past the highest restored value.
    afterRestore() {
      for (const { table_name: t, column_name: c } of identities.all() as {
        table_name: string;
        column_name: string;
      }[]) {
        db.prepare(
          `SELECT setval(pg_get_serial_sequence('${quote(t)}', '${c}'), COALESCE(MAX(${quote(c)}), 0) + 1, false) FROM ${quote(t)}`,
        ).get();
      }
    },
  };
}
