// PostgreSQL migration 4 (SQLite's 22): a schema whose builds already have `needs` gets build_needs filled
// from them, so processing finds their dependents as it finds those of builds created after it.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { newBuild } from "@buildsim/core";
import { afterEach, beforeEach, expect, it } from "vitest";
import { loadSeedText } from "../../fixtures/load-seed.js";
import { testPostgresUrl } from "../../test-support/cluster-postgres.js";
import { PIPELINE_SEED } from "../../test-support/pipeline-seed.js";
import { createStore } from "../create-store.js";
import { SyncPgConnection } from "./sync-pg-connection.js";

const schema = `needs_${process.pid}`;
const url = () => `${testPostgresUrl()}?schema=${schema}`;
let dataDir: string;
let admin: SyncPgConnection;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-needs-"));
  admin = new SyncPgConnection(testPostgresUrl());
});
afterEach(() => {
  admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  admin.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it("fills build_needs from the builds that already need jobs when the table arrives", () => {
  const before = createStore({ postgres: url(), dataDir });
  loadSeedText(before, PIPELINE_SEED, "pipeline-seed", "2026-01-01T00:00:00.000Z");
  const template = before.builds.get(1)!;
  const at = "2026-01-01T00:00:00.000Z";
  before.transaction(() => {
    for (const [id, needs] of [
      [100, null],
      [101, []],
      [102, ["lint", "compile", "lint"]],
    ] as const)
      before.builds.insert(
        newBuild({ ...template, id, token: `needs-${id}`, createdAt: at, needs: needs && [...needs] }),
      );
  });
  before.close();
  // Back to the schema as version 3 left it: no build_needs, migration 4 not applied.
  admin.query(`DROP TABLE "${schema}".build_needs`);
  admin.query(`DELETE FROM "${schema}".schema_migrations WHERE version = 4`);
  const after = createStore({ postgres: url(), dataDir });
  try {
    const rows = admin.query(
      `SELECT pipeline_id, name, build_id FROM "${schema}".build_needs ORDER BY name`,
    ).rows;
    expect(rows).toEqual([
      { pipeline_id: template.pipelineId, name: "compile", build_id: 102 },
      { pipeline_id: template.pipelineId, name: "lint", build_id: 102 },
    ]);
  } finally {
    after.close();
  }
});
