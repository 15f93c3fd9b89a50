// Whole-store snapshots for the contract-testing controls: every table's rows in memory and the artifact
// files copied aside, restored in one transaction (the controls' reset, snapshot and restore).

import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { Db } from "./sql-db.js";

/** A store's contents at one moment. Opaque outside `store/`. */
export interface StoreSnapshot {
  /** Table → column names and rows (as arrays, in column order). */
  readonly tables: ReadonlyMap<string, { columns: string[]; rows: unknown[][] }>;
  /** Where the artifact files were copied. */
  readonly filesDir: string;
}

/** Under the artifacts directory; dot-folders are never build folders, so restore leaves them be. */
const SNAPSHOTS_DIR = ".snapshots";

/** What snapshots need to know of a database's catalog: each backend answers from its own. */
export interface SnapshotCatalog {
  /** Every table holding data (migrations' bookkeeping stays as it is). */
  tables(): string[];
  /** A table's columns, in order. */
  columns(table: string): string[];
  /** Called first in the restoring transaction: foreign keys must be checked only at its commit. */
  deferForeignKeys(): void;
  /** Called once every row is back: counters that hand out ids move past the restored ones. */
  afterRestore(): void;
}

export const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Build folders in the artifacts directory (dot-folders hold uploads in flight and snapshots). */
const buildFolders = (artifactsDir: string): string[] =>
  existsSync(artifactsDir) ? readdirSync(artifactsDir).filter((f) => !f.startsWith(".")) : [];

let snapshotCount = 0;

/** Copies every row and artifact file. Run outside a write so it sees committed data. */
export function takeSnapshot(db: Db, catalog: SnapshotCatalog, artifactsDir: string): StoreSnapshot {
  const tables = new Map<string, { columns: string[]; rows: unknown[][] }>();
  db.transaction(() => {
    for (const table of catalog.tables()) {
      const columns = catalog.columns(table);
      const select = db.prepare(`SELECT ${columns.map(quote).join(", ")} FROM ${quote(table)}`).raw();
      tables.set(table, { columns, rows: select.all() as unknown[][] });
    }
  })();
  const filesDir = path.join(artifactsDir, SNAPSHOTS_DIR, `${process.pid}-${++snapshotCount}`);
  mkdirSync(filesDir, { recursive: true });
  for (const folder of buildFolders(artifactsDir))
    cpSync(path.join(artifactsDir, folder), path.join(filesDir, folder), { recursive: true });
  return { tables, filesDir };
}

/**
 * Replaces every row with the snapshot's. Call inside the store's transaction (foreign keys are checked
 * at its commit, so delete and insert order does not matter); returns the file copy to run after commit.
 */
export function restoreSnapshot(
  db: Db,
  catalog: SnapshotCatalog,
  artifactsDir: string,
  snapshot: StoreSnapshot,
): () => void {
  catalog.deferForeignKeys();
  for (const table of catalog.tables()) db.prepare(`DELETE FROM ${quote(table)}`).run();
  for (const [table, { columns, rows }] of snapshot.tables) {
    if (rows.length === 0) continue;
    const insert = db.prepare(
      `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    );
    for (const row of rows) insert.run(...row);
  }
  catalog.afterRestore();
  return () => {
    for (const folder of buildFolders(artifactsDir))
      rmSync(path.join(artifactsDir, folder), { recursive: true, force: true });
    for (const folder of buildFolders(snapshot.filesDir))
      cpSync(path.join(snapshot.filesDir, folder), path.join(artifactsDir, folder), { recursive: true });
  };
}

/** Frees a snapshot's file copies. */
export function dropSnapshot(snapshot: StoreSnapshot): void {
  rmSync(snapshot.filesDir, { recursive: true, force: true });
}

/** Removes every snapshot's files (the store closes). */
export function dropAllSnapshots(artifactsDir: string): void {
  rmSync(path.join(artifactsDir, SNAPSHOTS_DIR), { recursive: true, force: true });
}
