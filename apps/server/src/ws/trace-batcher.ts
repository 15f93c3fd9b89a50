// Batches runners' trace chunks: every chunk that arrives in one turn of the event loop goes to the traces
// service's appendBatch (one SQLite commit); each chunk is then acknowledged with its persisted length, in
// arrival order, and only then are watchers told. Nothing is acknowledged before the commit, so an
// acknowledged byte survives a crash.
//
// Where the store appends asynchronously (PostgreSQL, whose round trips would otherwise hold the event
// loop), one batch is in flight at a time and the chunks that arrive meanwhile form the next one: the
// batch grows with the round trip's latency instead of each chunk waiting for its own.

import type { App } from "../app.js";
import type { AppendedBatch } from "../services/traces.js";
import type { AppendTraceResult } from "../store/traces-repo.js";

/** One chunk waiting to be stored; `ack` is called with the result after the commit. */
export interface PendingChunk {
  buildId: number;
  offset: number;
  bytes: Buffer;
  ack: (result: AppendTraceResult) => void;
  fail: () => void;
}

/**
 * Creates the batcher: `add` queues a chunk; `drain` stores what is queued and answers when every chunk
 * received so far is stored (undefined when that is already so: nothing was waiting, or it was stored now).
 */
export function createTraceBatcher(app: Pick<App, "traces" | "log">) {
  let queue: PendingChunk[] = [];
  let scheduled = false;
  /** Chunks added so far, and how many of the first ones are answered (stored, or failed). */
  let added = 0;
  let answered = 0;
  /** `drain` callers, each waiting until `answered` reaches its count. */
  let waiters: Array<{ upTo: number; resolve: () => void }> = [];
  /** The asynchronous append under way, if one is. */
  let inFlight: Promise<void> | undefined;
  const failed = (what: string, e: unknown) =>
    app.log(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);

  /** Acks first: they are what lets each runner send its next chunk; watchers are told right after. */
  function answer(batch: PendingChunk[], appended: AppendedBatch): void {
    for (const [i, c] of batch.entries()) c.ack(appended.results[i]!);
    appended.announce();
  }

  function storeNow(batch: PendingChunk[], retold = false): void {
    let appended: AppendedBatch;
    try {
      appended = app.traces.appendBatch(batch, retold);
    } catch (e) {
      failed("trace append failed", e);
      for (const c of batch) c.fail();
      return;
    }
    answer(batch, appended);
  }

  /** Stores `batch` asynchronously; a failed statement falls back to the synchronous append. */
  function storeAsync(batch: PendingChunk[]): Promise<void> {
    return app.traces
      .appendBatchAsync(batch)
      .then(
        (appended) => answer(batch, appended),
        (e) => {
          // Nothing is known of the statement (it may have committed): the synchronous append stores
          // only what is missing, and answers for the whole batch.
          failed("asynchronous trace append failed, storing it synchronously", e);
          storeNow(batch, true);
        },
      )
      .catch((e) => failed("trace acknowledgement failed", e));
  }

  /** The first `upTo` chunks are answered: wakes the `drain` callers that waited for them. */
  function answeredUpTo(upTo: number): void {
    answered = upTo;
    const ready = waiters.filter((w) => w.upTo <= upTo);
    if (ready.length === 0) return;
    waiters = waiters.filter((w) => w.upTo > upTo);
    for (const w of ready) w.resolve();
  }

  function flush(): void {
    scheduled = false;
    if (queue.length === 0 || inFlight) return;
    const batch = queue;
    const upTo = added;
    queue = [];
    if (!app.traces.appendsAsync) {
      storeNow(batch);
      answeredUpTo(upTo);
      return;
    }
    inFlight = storeAsync(batch).finally(() => {
      inFlight = undefined;
      answeredUpTo(upTo);
      // What arrived while this batch was stored is the next batch.
      flush();
    });
  }

  return {
    add(chunk: PendingChunk): void {
      queue.push(chunk);
      added++;
      if (!scheduled && !inFlight) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    drain(): Promise<void> | undefined {
      flush();
      // Only the chunks received so far: later ones (other runners keep streaming) must not hold it.
      const upTo = added;
      if (answered >= upTo) return undefined;
      return new Promise<void>((resolve) => waiters.push({ upTo, resolve }));
    },
  };
}

export type TraceBatcher = ReturnType<typeof createTraceBatcher>;
