// Appends runners' trace chunks in batches: every chunk that arrives in one turn of the event loop is
// stored in one SQLite transaction (one commit), then the bus hears one `traceAppended` per build with
// the contiguous bytes; each chunk is acknowledged with its persisted length, in arrival order.
// Nothing is announced or acknowledged before the commit, so an acknowledged byte survives a crash.

import type { App } from "../app.js";
import type { AppendTraceResult } from "../store/traces-repo.js";

/** One chunk waiting to be stored; `ack` is called with the result after the commit. */
export interface PendingChunk {
  buildId: number;
  offset: number;
  bytes: Buffer;
  ack: (result: AppendTraceResult) => void;
  fail: () => void;
}

interface Appended {
  buildId: number;
  offset: number;
  parts: Buffer[];
  length: number;
}

/** Creates the batcher: `add` queues a chunk, `flush` stores what is queued now. */
export function createTraceBatcher(app: App) {
  let queue: PendingChunk[] = [];

  function flush(): void {
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    const at = app.now();
    let results: AppendTraceResult[];
    try {
      results = app.store.transaction(() =>
        batch.map((c) => app.store.traces.append(c.buildId, c.offset, c.bytes, at)),
      );
    } catch (e) {
      app.log(`trace append failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      for (const c of batch) c.fail();
      return;
    }
    // Consecutive new bytes of a build become one event, so watchers get one chunk per batch.
    const open = new Map<number, Appended>();
    const announce = (a: Appended) =>
      app.events.emit("traceAppended", {
        buildId: a.buildId,
        offset: a.offset,
        data: a.parts.length === 1 ? a.parts[0]! : Buffer.concat(a.parts),
        length: a.length,
      });
    batch.forEach((c, i) => {
      const r = results[i]!;
      if (r.appendedBytes === 0) return;
      const data = c.bytes.subarray(c.bytes.byteLength - r.appendedBytes);
      const start = r.length - r.appendedBytes;
      const current = open.get(c.buildId);
      if (current && current.length === start) {
        current.parts.push(data);
        current.length = r.length;
        return;
      }
      if (current) announce(current);
      open.set(c.buildId, { buildId: c.buildId, offset: start, parts: [data], length: r.length });
    });
    // Acks first: they are what lets each runner send its next chunk; watchers are told right after.
    for (const [i, c] of batch.entries()) c.ack(results[i]!);
    for (const a of open.values()) announce(a);
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
