// PostgreSQL's catalog for whole-store snapshots (table-snapshot.ts).

import type { Db } from "../sql-db.js";
import { quote, type SnapshotCatalog } from "../table-snapshot.js";

/**
 * The snapshot catalog of the store's schema (the connection's `search_path`). The schema does not change
 * once migrated, so its tables, columns and identity columns are read once, in one query each: every
 * test and every reset takes a snapshot, and a round trip per table would dominate it.
 */
export function pgCatalog(db: Db): SnapshotCatalog {
  const columnsQuery = db.prepare(
    `SELECT c.relname AS table_name, a.attname AS column_name, a.attidentity <> '' AS identity
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attnum > 0
       AND NOT a.attisdropped AND c.relname <> 'schema_migrations'
     ORDER BY c.relname, a.attnum`,
  );
  let known: { columns: Map<string, string[]>; identities: Array<[string, string]> } | undefined;
  const catalog = () => {
    if (!known) {
      const columns = new Map<string, string[]>();
      const identities: Array<[string, string]> = [];
      for (const row of columnsQuery.all() as {
        table_name: string;
        column_name: string;
        identity: number;
      }[]) {
        const list = columns.get(row.table_name) ?? [];
        if (list.length === 0) columns.set(row.table_name, list);
        list.push(row.column_name);
        if (row.identity) identities.push([row.table_name, row.column_name]);
      }
      known = { columns, identities };
    }
    return known;
  };
  return {
    tables: () => [...catalog().columns.keys()],
    columns: (table) => catalog().columns.get(table) ?? [],
    // The schema declares every foreign key DEFERRABLE for this (pg-migrations.ts).
    deferForeignKeys() {
      db.exec("SET CONSTRAINTS ALL DEFERRED");
    },
    // Identity columns count on their own: move each past the highest restored value.
    afterRestore() {
      for (const [table, column] of catalog().identities) {
        db.prepare(
          `SELECT setval(pg_get_serial_sequence('${quote(table)}', '${column}'), COALESCE(MAX(${quote(column)}), 0) + 1, false) FROM ${quote(table)}`,
        ).get();
      }
    },
  };
}
