// The WAL checkpointer (wal-checkpointer.ts) on real database files: a worker thread copies the log into
// the file, the log stays bounded under writes that never pause, and a worker that cannot run hands the
// checkpoints back to the connection. SQLite's WAL rules: https://www.sqlite.org/wal.html#checkpointing

import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createSqliteStore } from "./create-store.js";
import { openDatabase, type SqliteDb } from "./open-database.js";
import { startWalCheckpointer } from "./wal-checkpointer.js";

const dirs: string[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "buildsim-wal-"));
  dirs.push(dir);
  return path.join(dir, "test.db");
}

/** A database file with a table of blobs, checkpointed by a worker started with `options`. */
function withCheckpointer(options: Parameters<typeof startWalCheckpointer>[2]) {
  const file = tempFile();
  const db = openDatabase(file, []);
  db.exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB)");
  const checkpointer = startWalCheckpointer(db, file, options);
  cleanups.push(() => {
    checkpointer.stop();
    db.close();
  });
  const insert = db.prepare("INSERT INTO blobs (data) VALUES (?)");
  return { file, db, checkpointer, write: (bytes: number) => insert.run(Buffer.alloc(bytes, 7)) };
}

const fileSize = (file: string) => (existsSync(file) ? statSync(file).size : 0);
async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const autocheckpoint = (db: SqliteDb) => db.pragma("wal_autocheckpoint", { simple: true });

describe("the WAL checkpointer", () => {
  it("copies committed pages into the database file from its own thread", async () => {
    const { file, db, write } = withCheckpointer({ intervalMs: 10 });
    // The connection itself never checkpoints now: only the worker can move pages into the file.
    expect(autocheckpoint(db)).toBe(0);
    const before = fileSize(file);
    for (let i = 0; i < 32; i++) write(64 * 1024);
    await until(() => fileSize(file) >= before + 2 * 1024 * 1024, "the file holds the 2 MiB written");
    expect(db.prepare("SELECT COUNT(*) FROM blobs").pluck().get()).toBe(32);
  });

  it("keeps the log bounded under steady writes that never leave it idle, copying the rest between two writes", async () => {
    // 256 KiB of log before the connection steps in; 96 MiB written in 16 KiB commits. Without the
    // step the log never starts over and holds all of it; with it, it holds what arrives during one of
    // the worker's checkpoints.
    const { file, write } = withCheckpointer({ intervalMs: 5, catchUpFrames: 64 });
    let largest = 0;
    // At most 128 KiB per millisecond: on a loaded machine the worker thread can go unscheduled for a
    // while, and what the loop writes meanwhile is in the log however well the step works (the bound
    // measured 110 MiB at load 10 with no pacing). Without the step the log still holds all 96 MiB.
    for (let i = 0; i < 6144; i++) {
      write(16 * 1024);
      if (i % 8 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      largest = Math.max(largest, fileSize(`${file}-wal`));
    }
    expect(largest).toBeLessThan(48 * 1024 * 1024);
  });

  it("hands the checkpoints back to the connection when the worker cannot run", async () => {
    const file = tempFile();
    const db = openDatabase(file, []);
    cleanups.push(() => db.close());
    // The worker opens a file that is not there: it fails, and the log must not grow unchecked.
    startWalCheckpointer(db, path.join(path.dirname(file), "missing", "x.db"));
    await until(() => autocheckpoint(db) === 1000, "automatic checkpoints are back on");
  });

  it("leaves every page in the database file and an empty log when the store closes", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "buildsim-wal-store-"));
    dirs.push(dir);
    const store = createSqliteStore({ dataDir: dir });
    const db = store.db as SqliteDb;
    db.exec("CREATE TABLE filler (data BLOB)");
    for (let i = 0; i < 16; i++) db.prepare("INSERT INTO filler VALUES (?)").run(Buffer.alloc(64 * 1024));
    store.close();
    expect(fileSize(path.join(dir, "buildsim.db-wal"))).toBe(0);
    const reopened = openDatabase(path.join(dir, "buildsim.db"), []);
    try {
      expect(reopened.prepare("SELECT COUNT(*) FROM filler").pluck().get()).toBe(16);
    } finally {
      reopened.close();
    }
  });
});
