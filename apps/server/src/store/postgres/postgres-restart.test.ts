// A PostgreSQL restart is survived without restarting the server (issue #16): the store's connection is
// opened again by itself, a read is asked again, and a transaction that lost its connection is run again.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type PostgresCluster, startPostgresCluster } from "../../../../../scripts/postgres-cluster.mjs";
import { createStore, type Store } from "../create-store.js";

// Its own cluster: restarting the suite's shared one would break every other test running beside it. A
// durable one: the test restarts it as a crash would, and committed writes must survive that.
let cluster: PostgresCluster;
let store: Store;
let dataDir: string;
beforeAll(async () => {
  cluster = await startPostgresCluster(["fsync=on", "synchronous_commit=on"]);
  dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-pg-restart-"));
  store = createStore({ postgres: `${cluster.url}?schema=restart`, dataDir });
}, 60_000);
afterAll(() => {
  store?.close();
  cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const setting = (key: string) => store.settings.get(key);

it("reads and writes again after PostgreSQL restarts, without reopening the store", () => {
  store.transaction(() => store.settings.set("before", "kept"));
  cluster.restart();
  // The first read meets the dead connection, opens a new one and is asked again.
  expect(setting("before")).toBe("kept");
  cluster.restart();
  // A transaction whose connection died is run again whole on the new one.
  store.transaction(() => store.settings.set("after", "written"));
  expect(setting("after")).toBe("written");
  expect(store.version).toBeGreaterThan(0);
});
