// A server restarted on the same data directory keeps every row and every file.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { api, ROOT_TOKEN, SEED_DOC_FILE, startTestServer } from "../test-support/start-test-server.js";
import { MIGRATIONS } from "./migrations.js";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-restart-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Every table's rows, read through a second, read-only connection to the server's database file. */
const dump = () => withDatabase((db) => dumpTables(db));
const withDatabase = <T>(read: (db: Database.Database) => T): T => {
  const db = new Database(path.join(dataDir, "buildsim.db"), { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
};
const dumpTables = (db: Database.Database) =>
  Object.fromEntries(
    [
      "users",
      "personal_tokens",
      "projects",
      "project_members",
      "commits",
      "pipelines",
      "builds",
      "build_counts",
      "artifacts",
      "trace_chunks",
      "runners",
      "settings",
      "project_sources",
      "project_variables",
      "schema_migrations",
    ].map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]),
  );

describe("restarting on the same --data directory", () => {
  it("keeps every row, artifact file and trace, and does not seed twice", async () => {
    const first = await startTestServer({ db: undefined, dataDir, seedFile: SEED_DOC_FILE });
    expect(first.seedSkipped).toBe(false);
    const retry = await api(first, "/api/v3/projects/1/builds/8/retry", {
      method: "POST",
      token: ROOT_TOKEN,
    });
    const newId = ((await retry.json()) as { id: number }).id;
    first.app.traces.appendTrace(newId, 0, Buffer.from("fresh log line\n"));
    await api(first, "/api/v3/projects/1/builds/9/erase", { method: "POST", token: ROOT_TOKEN });
    const rowsBefore = dump();
    const artifactBefore = Buffer.from(
      await (await api(first, "/api/v3/projects/1/builds/7/artifacts", { token: ROOT_TOKEN })).arrayBuffer(),
    );
    await first.close();

    const second = await startTestServer({ db: undefined, dataDir, seedFile: SEED_DOC_FILE });
    try {
      expect(second.seedSkipped).toBe(true);
      expect(dump()).toEqual(rowsBefore);
      const artifactAfter = Buffer.from(
        await (
          await api(second, "/api/v3/projects/1/builds/7/artifacts", { token: ROOT_TOKEN })
        ).arrayBuffer(),
      );
      expect(artifactAfter.equals(artifactBefore)).toBe(true);
      const trace = await api(second, `/api/v3/projects/1/builds/${newId}/trace`, { token: ROOT_TOKEN });
      expect(await trace.text()).toBe("fresh log line\n");
      const list = await api(second, "/api/v3/projects/1/builds", { token: ROOT_TOKEN });
      expect(list.headers.get("x-total")).toBe("6");
    } finally {
      await second.close();
    }
  });

  it("keeps the database in WAL mode with the schema version recorded", async () => {
    const server = await startTestServer({ db: undefined, dataDir });
    try {
      expect(withDatabase((db) => db.pragma("journal_mode", { simple: true }))).toBe("wal");
      const versions = withDatabase((db) => db.prepare("SELECT version FROM schema_migrations").all());
      expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    } finally {
      await server.close();
    }
  });
});
