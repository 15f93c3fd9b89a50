// One PostgreSQL connection with a synchronous query call. The store's interface is synchronous (see
// create-store.ts), so the query runs on a worker thread (pg-worker.mjs, one per process for every
// connection: starting a worker and loading `pg` costs 200-300 ms, opening a connection in it ~10 ms)
// while this thread sleeps on a shared flag: Atomics.wait, then receiveMessageOnPort. Written by hand
// rather than with synckit: on this machine a round trip of `SELECT $1` took 252 µs this way against
// 316 µs through synckit (5,000 queries).

import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

/** A query's answer: its rows (objects, or arrays with `rowMode: "array"`) and the rows it changed. */
export interface PgResult {
  rows: unknown[];
  rowCount: number;
}

/** A PostgreSQL error, with its SQLSTATE (`40001`: serialization failure, `23505`: unique violation). */
export class PgError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly detail?: string,
  ) {
    super(message);
    this.name = "PgError";
  }
}

/** How long one call may block before the connection is declared dead (a hung server, a lost network). */
const CALL_TIMEOUT_MS = 120_000;

const WORKER_URL = new URL("./pg-worker.mjs", import.meta.url);

let sharedWorker: Worker | undefined;

/** The process's connection worker, started on first use. */
function connectionWorker(): Worker {
  if (!sharedWorker) {
    const worker = new Worker(WORKER_URL);
    // It must not keep a finished process alive: its connections end with their stores.
    worker.unref();
    worker.on("error", () => {
      if (sharedWorker === worker) sharedWorker = undefined;
    });
    worker.on("exit", () => {
      if (sharedWorker === worker) sharedWorker = undefined;
    });
    sharedWorker = worker;
  }
  return sharedWorker;
}

/** A connection to `url`, using `schema` (created if missing) when given. */
export class SyncPgConnection {
  private readonly port;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private requests = 0;
  private closed = false;

  constructor(url: string, schema?: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    connectionWorker().postMessage({ port: port2, flag: this.flag, url, schema }, [port2]);
    this.call({ op: "connect" });
  }

  /**
   * Runs `sql` with positional `$n` parameters and waits for its answer. With `name`, the statement is
   * prepared on the connection the first time and reused after. With `begin`, that statement (BEGIN …)
   * runs first, in the same round trip of the bridge.
   */
  query(
    sql: string,
    params: readonly unknown[] = [],
    options: { rowMode?: "array"; name?: string; begin?: string } = {},
  ): PgResult {
    const answer = this.call({ op: "query", sql, params, ...options }) as PgResult;
    for (const row of answer.rows) fixBuffers(row);
    return answer;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: "close" });
    } finally {
      this.closed = true;
      this.port.close();
    }
  }

  private call(request: Record<string, unknown>): unknown {
    if (this.closed) throw new PgError("the PostgreSQL connection is closed", undefined);
    // Each request has a number; the worker writes the number of the request it answered into the flag,
    // so a wake-up is matched to its answer (an earlier answer still queued would be told apart).
    this.requests = (this.requests % 2_000_000_000) + 1;
    const id = this.requests;
    this.port.postMessage({ ...request, id });
    const deadline = Date.now() + CALL_TIMEOUT_MS;
    for (;;) {
      const received = receiveMessageOnPort(this.port);
      if (received) {
        const message = received.message as {
          id: number;
          error?: { message: string; code?: string; detail?: string };
        };
        if (message.id !== id) continue;
        if (message.error) throw new PgError(message.error.message, message.error.code, message.error.detail);
        return message;
      }
      const seen = Atomics.load(this.flag, 0);
      if (seen !== id) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new PgError(`PostgreSQL did not answer within ${CALL_TIMEOUT_MS / 1000} s`, undefined);
        Atomics.wait(this.flag, 0, seen, left);
      }
    }
  }
}

/** A `bytea` value crosses the thread boundary as a Uint8Array; the store hands out Buffers, as SQLite's driver does. */
function fixBuffers(row: unknown): void {
  if (row === null || typeof row !== "object") return;
  const record = row as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (v instanceof Uint8Array && !Buffer.isBuffer(v))
      record[key] = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  }
}
