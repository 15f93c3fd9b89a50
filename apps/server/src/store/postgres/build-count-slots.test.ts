// Build counts in slots (migration 21 / PostgreSQL 3): two servers on one schema move counts in slots of
// their own, and each still reads every count exactly (the sum of the slots), deletions included.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Build } from "@buildsim/core";
import { afterEach, beforeEach, expect, it } from "vitest";
import { loadSeedText } from "../../fixtures/load-seed.js";
import { testPostgresUrl } from "../../test-support/cluster-postgres.js";
import { PIPELINE_SEED } from "../../test-support/pipeline-seed.js";
import { createStore, type Store } from "../create-store.js";
import { SyncPgConnection } from "./sync-pg-connection.js";

const schema = `slots_${process.pid}`;
let dataDir: string;
let a: Store;
let b: Store;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-slots-"));
  const url = `${testPostgresUrl()}?schema=${schema}`;
  a = createStore({ postgres: url, dataDir });
  loadSeedText(a, PIPELINE_SEED, "pipeline-seed", "2026-01-01T00:00:00.000Z");
  b = createStore({ postgres: url, dataDir });
});
afterEach(() => {
  a.close();
  b.close();
  const admin = new SyncPgConnection(testPostgresUrl());
  admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  admin.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The counts as the rows say, per status. */
const rowCounts = (store: Store): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const build of store.builds.listAll())
    if (build.trigger === null && build.external === null)
      counts[build.status] = (counts[build.status] ?? 0) + 1;
  return counts;
};

/** Every status's count read through `store`, and the total. */
const expectExact = (store: Store) => {
  const expected = rowCounts(store);
  for (const [status, n] of Object.entries(expected))
    expect(store.builds.count({ projectId: 1, statuses: [status as Build["status"]] })).toBe(n);
  expect(store.builds.count({ projectId: 1, statuses: null })).toBe(
    Object.values(expected).reduce((x, y) => x + y, 0),
  );
};

it("keeps every count exact when two servers move counts in their own slots and one deletes a pipeline", () => {
  const template = a.builds.get(1)!;
  // Server A inserts pending builds; server B runs one and finishes another; A deletes a pipeline.
  a.transaction(() => {
    for (const id of [100, 101, 102])
      a.builds.insert({ ...template, id, pipelineId: 2, status: "pending", token: `slot-token-${id}` });
  });
  b.transaction(() => {
    const running = b.builds.get(100)!;
    b.builds.saveTransition({ ...running, status: "running" }, running);
    const done = b.builds.get(101)!;
    b.builds.saveTransition({ ...done, status: "success" }, done);
  });
  expectExact(a);
  expectExact(b);
  b.transaction(() => b.pipelines.delete(1));
  expectExact(a);
  expectExact(b);
});
