// Moves SQLite's WAL checkpoints off the server's event loop. With `synchronous = NORMAL` a commit only
// appends to the log; the checkpoint that copies the log into the database file is what fsyncs, and run
// by the committing connection (SQLite's default, every 1,000 pages) it blocked every request and trace
// message behind it: it doubled the time of a one-line trace commit and set the watchers' p99 latency.
// Here a worker thread with its own connection checkpoints (wal-checkpoint-worker.mjs); the server's
// connection only steps in when steady writes leave the log no moment to start over.

import { Worker } from "node:worker_threads";
import type { SqliteDb } from "./open-database.js";

/** What the worker is started with. */
export interface CheckpointerSettings {
  file: string;
  /** How often the worker checkpoints. */
  intervalMs: number;
  /** Log size, in frames (pages), past which the server's connection checkpoints between two writes. */
  catchUpFrames: number;
}

/** Messages from the worker. */
export type CheckpointerMessage = { type: "catch-up"; frames: number };

/** SQLite's own default, restored when the worker cannot run: the log must never grow unchecked. */
const AUTOCHECKPOINT_PAGES = 1000;

const WORKER_URL = new URL("./wal-checkpoint-worker.mjs", import.meta.url);

/** The running checkpointer; `stop` ends the worker before the server's connection closes. */
export interface WalCheckpointer {
  stop(): void;
}

/**
 * Starts checkpointing `file` (the database `db` has open, in WAL mode) on a worker thread, and turns
 * the connection's own automatic checkpoints off. If the worker fails, they are turned back on.
 */
export function startWalCheckpointer(
  db: SqliteDb,
  file: string,
  options: { intervalMs?: number; catchUpFrames?: number } = {},
): WalCheckpointer {
  const settings: CheckpointerSettings = {
    file,
    intervalMs: options.intervalMs ?? 50,
    // 16,384 pages of 4 KiB: 64 MiB of log.
    catchUpFrames: options.catchUpFrames ?? 16_384,
  };
  let stopped = false;
  db.pragma("wal_autocheckpoint = 0");
  // A log that grew under a burst of writes is cut back to this when it starts over.
  db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  const worker = new Worker(WORKER_URL, { workerData: settings });
  // It must not keep a finished process alive; SQLite survives a checkpoint cut short.
  worker.unref();
  const fallBack = (why: string) => {
    if (stopped || !db.open) return;
    stopped = true;
    db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    process.emitWarning(`WAL checkpoints are back on the server's thread: ${why}`);
  };
  worker.on("message", (message: CheckpointerMessage) => {
    if (message.type !== "catch-up" || stopped || !db.open) return;
    // Between two of this thread's statements, with the worker paused: everything can be copied, so the
    // next write starts the log over.
    db.pragma("wal_checkpoint(PASSIVE)");
    worker.postMessage("done");
  });
  worker.on("error", (e) => fallBack(e instanceof Error ? e.message : String(e)));
  worker.on("exit", (code) => fallBack(`the checkpoint worker exited (${code})`));
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage("stop");
    },
  };
}
