// Artifact archives: metadata rows in the database, bytes where the backend keeps them (artifact-blobs.ts).

import path from "node:path";
import type { ArtifactBlobs } from "./artifact-blobs.js";
import type { Db } from "./sql-db.js";

/** A stored artifacts archive. */
export interface ArtifactRecord {
  buildId: number;
  filename: string;
  size: number;
  /** Where the bytes are: a path relative to the artifacts directory, or `db:` for the database. */
  storageKey: string;
  createdAt: string;
}

/** Reads and writes artifact metadata and files under `dir`. */
export interface ArtifactsRepo {
  dir: string;
  get(buildId: number): ArtifactRecord | undefined;
  /**
   * Writes the archive file, then its row. Call inside the transaction that owns the build change; the
   * file is written first so a committed row always has its file.
   */
  put(buildId: number, filename: string, bytes: Uint8Array, at: string): ArtifactRecord;
  /** Where uploads are streamed before `putFile` moves them into place (same filesystem). */
  incomingDir: string;
  /** As `put`, for an archive already on disk (an upload streamed to `incomingDir`): moved, not copied. */
  putFile(buildId: number, filename: string, file: string, size: number, at: string): ArtifactRecord;
  /** The archive bytes, or undefined when the row or its file is gone. */
  read(buildId: number):
    | {
        record: ArtifactRecord;
        bytes: Buffer;
      }
    | undefined;
  /** Deletes the row; returns the file to delete once the transaction has committed. */
  delete(buildId: number): (() => void) | undefined;
  /** Whether the archive's bytes are still kept (a file, or a row), whatever the metadata row says. */
  bytesKept(buildId: number): boolean;
}

/** {@link ArtifactsRepo}: rows in `db`, bytes in `blobs`; `dir` holds uploads in flight. */
export function createArtifactsRepo(db: Db, dir: string, blobs: ArtifactBlobs): ArtifactsRepo {
  const byBuild = db.prepare("SELECT * FROM artifacts WHERE build_id = ?");
  const upsert = db.prepare(
    `INSERT INTO artifacts (build_id, filename, size, storage_key, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (build_id) DO UPDATE SET filename = excluded.filename, size = excluded.size,
     storage_key = excluded.storage_key, created_at = excluded.created_at`,
  );
  const remove = db.prepare("DELETE FROM artifacts WHERE build_id = ?");

  return {
    dir,
    get(buildId: number): ArtifactRecord | undefined {
      const r = byBuild.get(buildId) as
        | { build_id: number; filename: string; size: number; storage_key: string; created_at: string }
        | undefined;
      return (
        r && {
          buildId: r.build_id,
          filename: r.filename,
          size: r.size,
          storageKey: r.storage_key,
          createdAt: r.created_at,
        }
      );
    },
    /**
     * Writes the archive file, then its row. Call inside the transaction that owns the build change; the
     * file is written first so a committed row always has its file.
     */
    put(buildId: number, filename: string, bytes: Uint8Array, at: string): ArtifactRecord {
      const storageKey = blobs.keyOf(buildId);
      blobs.write(buildId, bytes);
      upsert.run(buildId, filename, bytes.byteLength, storageKey, at);
      return { buildId, filename, size: bytes.byteLength, storageKey, createdAt: at };
    },
    /** Where uploads are streamed before `putFile` moves them into place (same filesystem). */
    incomingDir: path.join(dir, ".incoming"),
    /** As `put`, for an archive already on disk (an upload streamed to `incomingDir`): moved, not copied. */
    putFile(buildId: number, filename: string, file: string, size: number, at: string): ArtifactRecord {
      const storageKey = blobs.keyOf(buildId);
      blobs.take(buildId, file);
      upsert.run(buildId, filename, size, storageKey, at);
      return { buildId, filename, size, storageKey, createdAt: at };
    },
    /** The archive bytes, or undefined when the row or its file is gone. */
    read(buildId: number): { record: ArtifactRecord; bytes: Buffer } | undefined {
      const record = this.get(buildId);
      if (!record) return undefined;
      const bytes = blobs.read(buildId);
      return bytes && { record, bytes };
    },
    /** Deletes the row; returns the file to delete once the transaction has committed. */
    delete(buildId: number): (() => void) | undefined {
      const record = this.get(buildId);
      if (!record) return undefined;
      remove.run(buildId);
      return blobs.remove(buildId);
    },
    bytesKept: (buildId) => blobs.exists(buildId),
  };
}
