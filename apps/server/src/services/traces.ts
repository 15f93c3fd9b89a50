// Trace access for the API and the runner layer: idempotent appends (announced on the bus) and reads
// with the project's runners token and the build's own token masked.

import type { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import type { AppendTraceResult } from "../store/traces-repo.js";

/** Replaces every occurrence of each secret in `trace` by as many `x` (GitLab's `Ci::MaskSecret`). */
export function maskSecrets(trace: Buffer, secrets: readonly string[]): Buffer {
  const present = secrets.filter((s) => s.length > 0 && trace.includes(s));
  if (present.length === 0) return trace;
  // latin1 maps bytes 1:1 to chars, so replacing ASCII tokens cannot damage multi-byte text.
  let text = trace.toString("latin1");
  for (const s of present) text = text.split(s).join("x".repeat(Buffer.byteLength(s)));
  return Buffer.from(text, "latin1");
}

/** One chunk of a runner's trace: `bytes` at byte `offset` of build `buildId`. */
export interface TraceChunk {
  buildId: number;
  offset: number;
  bytes: Uint8Array;
}

/** What appending a batch did: each chunk's result, and the announcement to make once acks are out. */
export interface AppendedBatch {
  results: AppendTraceResult[];
  /** Tells the bus `traceAppended` once per build's contiguous new bytes (watchers get one chunk). */
  announce(): void;
}

/** The same bytes as a Buffer, without copying (the trace path hands on what it received). */
const asBuffer = (b: Uint8Array): Buffer =>
  Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

interface Appended {
  buildId: number;
  offset: number;
  parts: Uint8Array[];
  length: number;
}

/** Appends and reads traces. */
export function createTraces(store: Store, events: ServerEvents, now: () => string) {
  /**
   * Appends every chunk in one transaction (one commit). A repeat or overlap stores only the new tail; a
   * gap (`offset` past the stored length) stores nothing and returns the current length. Nothing is
   * announced before the commit, and only when the caller says (after its acknowledgements).
   */
  function appendBatch(chunks: readonly TraceChunk[]): AppendedBatch {
    const at = now();
    const results = store.transaction(() =>
      chunks.map((c) => store.traces.append(c.buildId, c.offset, c.bytes, at)),
    );
    // Consecutive new bytes of a build become one event, so watchers get one chunk per batch.
    const open = new Map<number, Appended>();
    const pending: Appended[] = [];
    chunks.forEach((c, i) => {
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
      if (current) pending.push(current);
      open.set(c.buildId, { buildId: c.buildId, offset: start, parts: [data], length: r.length });
    });
    pending.push(...open.values());
    return {
      results,
      announce() {
        for (const a of pending)
          events.emit("traceAppended", {
            buildId: a.buildId,
            offset: a.offset,
            data: a.parts.length === 1 ? asBuffer(a.parts[0]!) : Buffer.concat(a.parts),
            length: a.length,
          });
      },
    };
  }

  return {
    appendBatch,
    /** One chunk through {@link appendBatch}, announced at once (embedders and tests feeding a trace). */
    appendTrace(buildId: number, offset: number, bytes: Uint8Array): AppendTraceResult {
      const batch = appendBatch([{ buildId, offset, bytes }]);
      batch.announce();
      return batch.results[0]!;
    },
    /** The full trace with the project's runners token and the build's token masked. */
    readMasked(buildId: number): Buffer {
      const build = store.builds.get(buildId);
      if (!build) return Buffer.alloc(0);
      const project = store.projects.get(build.projectId);
      return maskSecrets(store.traces.read(buildId), [project?.runnersToken ?? "", build.token]);
    },
  };
}

export type Traces = ReturnType<typeof createTraces>;
