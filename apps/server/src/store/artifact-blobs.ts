// Where artifact archives' bytes live: files under the data directory (SQLite: one machine), or rows of
// the database itself (PostgreSQL: every server of a cluster reads what any of them stored).

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "./sql-db.js";

/** The bytes of each build's archive, keyed by build id. Metadata rows stay in `artifacts`. */
export interface ArtifactBlobs {
  /** The `storage_key` recorded for the build's archive. */
  keyOf(buildId: number): string;
  /** Stores `bytes` for the build (replacing what it had); inside the transaction that writes the row. */
  write(buildId: number, bytes: Uint8Array): void;
  /** Stores the file at `file` (an upload streamed to disk), taking it over: the file is gone after. */
  take(buildId: number, file: string): void;
  /** The bytes, or undefined when there are none. */
  read(buildId: number): Buffer | undefined;
  /** Whether bytes are kept for the build (whatever its row says). */
  exists(buildId: number): boolean;
  /** Deletes the bytes; returns what must run once the transaction has committed. */
  remove(buildId: number): () => void;
}

/** Files `<dir>/<build id>/archive.bin`: written before the row commits, deleted after it does. */
export function fileBlobs(dir: string): ArtifactBlobs {
  const folderOf = (buildId: number) => path.join(dir, String(buildId));
  const fileOf = (buildId: number) => path.join(folderOf(buildId), "archive.bin");
  return {
    keyOf: (buildId) => path.join(String(buildId), "archive.bin"),
    write(buildId, bytes) {
      mkdirSync(folderOf(buildId), { recursive: true });
      writeFileSync(fileOf(buildId), bytes);
    },
    take(buildId, file) {
      mkdirSync(folderOf(buildId), { recursive: true });
      renameSync(file, fileOf(buildId));
    },
    read(buildId) {
      const file = fileOf(buildId);
      return existsSync(file) ? readFileSync(file) : undefined;
    },
    exists: (buildId) => existsSync(fileOf(buildId)),
    remove(buildId) {
      return () => rmSync(folderOf(buildId), { recursive: true, force: true });
    },
  };
}

/**
 * Rows of `artifact_blobs` (BYTEA). PostgreSQL takes a value up to 1 GB; the server refuses archives
 * above its own upload limit long before that. The bytes commit and roll back with the row.
 */
export function databaseBlobs(db: Db): ArtifactBlobs {
  const upsert = db.prepare(
    "INSERT INTO artifact_blobs (build_id, data) VALUES (?, ?) ON CONFLICT (build_id) DO UPDATE SET data = excluded.data",
  );
  const select = db.prepare("SELECT data FROM artifact_blobs WHERE build_id = ?").pluck();
  const remove = db.prepare("DELETE FROM artifact_blobs WHERE build_id = ?");
  const exists = db.prepare("SELECT 1 FROM artifact_blobs WHERE build_id = ?").pluck();
  const write = (buildId: number, bytes: Uint8Array) => {
    upsert.run(buildId, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  };
  return {
    keyOf: () => "db:artifact_blobs",
    write,
    take(buildId, file) {
      write(buildId, readFileSync(file));
      rmSync(file, { force: true });
    },
    read: (buildId) => select.get(buildId) as Buffer | undefined,
    exists: (buildId) => exists.get(buildId) !== undefined,
    remove(buildId) {
      remove.run(buildId);
      return () => {};
    },
  };
}
