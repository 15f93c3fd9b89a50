// Per-test directories and reads of what a server process stored, shared by the real-process suites.

import { createStore, type Store } from "@buildsim/server";
import { postgresDatabaseFor } from "../../../../scripts/test-database.mjs";
import { tempDir } from "./processes.js";

/** A data directory and a builds directory for one test; their removers go into `cleanups`. */
export function testDirs(prefix: string, cleanups: Array<() => void>) {
  const data = tempDir(`${prefix}-data-`);
  const builds = tempDir(`${prefix}-builds-`);
  cleanups.push(data.remove, builds.remove);
  return { dataDir: data.dir, buildsDir: builds.dir };
}

/**
 * The store of the servers on `dataDir`, opened beside them: its SQLite file (WAL lets us read while a
 * server runs), or in the `postgres` project the schema those servers share.
 */
export function openStoreOf(dataDir: string): Store {
  const db = postgresDatabaseFor(dataDir, "e2e");
  return createStore(db ? { postgres: db, dataDir } : { dataDir });
}

/** Build `id` and its raw trace, read from the server's database. */
export function storedBuild(dataDir: string, id: number) {
  const store = openStoreOf(dataDir);
  try {
    return { build: store.builds.get(id)!, trace: store.traces.read(id) };
  } finally {
    store.close();
  }
}
