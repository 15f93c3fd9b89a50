// The WAL checkpointer's thread (see wal-checkpointer.ts). A second connection to the same database file
// copies committed pages from the write-ahead log into the file now and then, so that the copy and its
// fsyncs run here instead of inside one of the server's commits, where they stalled the event loop.
// Plain JavaScript, like pg-worker.mjs: a worker thread is loaded from a file, in tests straight from src/.

import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

/** @type {{ file: string; intervalMs: number; catchUpFrames: number }} */
const { file, intervalMs, catchUpFrames } = workerData;
const port = parentPort;
if (!port) throw new Error("wal-checkpoint-worker runs as a worker thread");

const db = new Database(file, { fileMustExist: true });

/** True while the server's connection copies the rest (see below): this thread must not hold the lock. */
let waiting = false;

const timer = setInterval(() => {
  if (waiting) return;
  // PASSIVE neither waits for nor blocks the server's readers and writer: it copies what it can.
  /** @type {{ busy: number; log: number; checkpointed: number }[]} */
  const [result] = db.pragma("wal_checkpoint(PASSIVE)");
  // The log only starts over when a write begins with all of it copied, which steady writes never
  // allow: past the limit, the server's connection copies the few frames left between two of its
  // writes, while this thread waits for its "done".
  if (result && result.log >= catchUpFrames) {
    waiting = true;
    port.postMessage({ type: "catch-up", frames: result.log });
  }
}, intervalMs);

port.on("message", (message) => {
  if (message === "done") waiting = false;
  if (message !== "stop") return;
  clearInterval(timer);
  db.close();
  port.close();
});
