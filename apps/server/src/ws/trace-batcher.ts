// Batches runners' trace chunks: every chunk that arrives in one turn of the event loop goes to the traces
// service's appendBatch (one SQLite commit); each chunk is then acknowledged with its persisted length, in
// arrival order, and only then are watchers told. Nothing is acknowledged before the commit, so an
// acknowledged byte survives a crash.

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

/** Creates the batcher: `add` queues a chunk, `flush` stores what is queued now. */
export function createTraceBatcher(app: Pick<App, "traces" | "log">) {
  let queue: PendingChunk[] = [];

  function flush(): void {
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    let appended: AppendedBatch;
    try {
      appended = app.traces.appendBatch(batch);
    } catch (e) {
      app.log(`trace append failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      for (const c of batch) c.fail();
      return;
    }
    // Acks first: they are what lets each runner send its next chunk; watchers are told right after.
    for (const [i, c] of batch.entries()) c.ack(appended.results[i]!);
    appended.announce();
  }

  return {
    add(chunk: PendingChunk): void {
      queue.push(chunk);
      if (queue.length === 1) setImmediate(flush);
    },
    flush,
  };
}

export type TraceBatcher = ReturnType<typeof createTraceBatcher>;
