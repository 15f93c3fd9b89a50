// The PostgreSQL backend of the store: one connection (sync-pg-connection.ts), the schema migrated under an
// advisory lock so that servers starting together migrate once, and SERIALIZABLE transactions whose
// losers the store runs again.

import { randomBytes, randomInt } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { databaseBlobs } from "../artifact-blobs.js";
import { migrate } from "../open-database.js";
import type { StoreBackend } from "../store-backend.js";
import { openAsyncTraceWriter } from "./async-trace-writer.js";
import { pgCatalog } from "./pg-catalog.js";
import { PgDb } from "./pg-db.js";
import { PG_MIGRATIONS } from "./pg-migrations.js";
import { PgError } from "./sync-pg-connection.js";

/**
 * SQLSTATEs after which running the whole transaction again can succeed: it lost to a concurrent one
 * (serialization failure, deadlock), or the connection was lost and has been opened again (class 08).
 */
const RETRYABLE = new Set(["40001", "40P01", "08006"]);

/**
 * How many `build_counts` slots servers draw from: few enough that a count is a sum over at most this
 * many rows per status, enough that a few servers rarely share one.
 */
const COUNT_SLOTS = 64;

/** The advisory lock (first key; the schema name hashes into the second) that serializes migrations of one schema across servers. */
const MIGRATION_LOCK = 7_162_021;

/** Where the data goes: a schema name is a plain identifier (it is quoted in SQL, never interpolated raw). */
function schemaOf(url: URL, memory: boolean): string {
  if (memory) return `buildsim_tmp_${process.pid}_${randomBytes(4).toString("hex")}`;
  const schema = url.searchParams.get("schema") ?? "public";
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`the PostgreSQL schema must be a plain identifier (letters, digits, _), got "${schema}"`);
  }
  return schema;
}

/** Opens `postgresUrl` (a `postgres://` URL, optionally with `?schema=`) and migrates its schema. */
export function createPostgresBackend(
  postgresUrl: string,
  options: { memory?: boolean; dataDir?: string },
): StoreBackend {
  let url: URL;
  try {
    url = new URL(postgresUrl);
  } catch {
    throw new Error(`not a PostgreSQL URL: "${postgresUrl}" (expected postgres://user@host:port/database)`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
    throw new Error(`not a PostgreSQL URL: "${postgresUrl}" (expected postgres://user@host:port/database)`);
  }
  const memory = options.memory === true;
  const schema = schemaOf(url, memory);
  url.searchParams.delete("schema");

  const artifactsDir = memory
    ? mkdtempSync(path.join(os.tmpdir(), "buildsim-artifacts-"))
    : path.join(path.resolve(options.dataDir ?? ".buildsim"), "artifacts");
  if (!memory) mkdirSync(artifactsDir, { recursive: true });

  let db: PgDb;
  try {
    db = new PgDb(url.toString(), schema);
  } catch (e) {
    if (memory) rmSync(artifactsDir, { recursive: true, force: true });
    throw new Error(`cannot connect to PostgreSQL at ${url.host}: ${(e as Error).message}`);
  }
  db.prepare("SELECT pg_advisory_lock(?, hashtext(current_schema()))").get(MIGRATION_LOCK);
  try {
    migrate(db, PG_MIGRATIONS);
  } finally {
    db.prepare("SELECT pg_advisory_unlock(?, hashtext(current_schema()))").get(MIGRATION_LOCK);
  }

  const traceWriter = openAsyncTraceWriter(url.toString(), schema);
  return {
    db,
    artifactsDir,
    traceWriter,
    // Every server of a cluster must read what any of them stored: the bytes go in the database.
    artifactBlobs: databaseBlobs(db),
    catalog: pgCatalog(db),
    totalChanges: () => db.totalChanges,
    // A slot of its own, drawn at random: servers that draw the same one only share rows, as all did before.
    countSlot: randomInt(COUNT_SLOTS),
    writingWith: true,
    isRetryable: (e) => e instanceof PgError && e.code !== undefined && RETRYABLE.has(e.code),
    close() {
      if (!db.open) return;
      void traceWriter.close().catch(() => {});
      try {
        if (memory) db.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        db.close();
        if (memory) rmSync(artifactsDir, { recursive: true, force: true });
      }
    },
  };
}
