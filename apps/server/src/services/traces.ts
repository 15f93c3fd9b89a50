// Trace access for the API and the runner layer: idempotent appends (announced on the bus) and reads
// with the project's runners token, the build's own token and the project's masked variables masked.

import type { Build } from "@buildsim/core";
import type { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import type { AppendTraceResult } from "../store/traces-repo.js";
import { appendInRuns, runChunk, runsOf, spreadRunResult } from "./trace-runs.js";

/** What a trace hides: tokens (as many `x`, GitLab's `Ci::MaskSecret`) and masked variables' values. */
export interface TraceSecrets {
  tokens: readonly string[];
  /** Masked CI/CD variables' values, shown as `[MASKED]` as the runner does. */
  masked: readonly string[];
}

/** The text each masked variable's value is replaced by in job logs. */
export const MASKED = "[MASKED]";

/** Replaces every occurrence of each secret in `trace` (tokens by `x`s, masked values by `[MASKED]`). */
export function maskSecrets(trace: Buffer, secrets: TraceSecrets): Buffer {
  return secretMasker(secrets)(trace);
}

/**
 * {@link maskSecrets} for one set of secrets, applied to many buffers: the live trace masks every message
 * of a watched build, so the secrets are encoded once and a message holding none is returned as it is,
 * with nothing allocated.
 */
export function secretMasker(secrets: TraceSecrets): (trace: Buffer) => Buffer {
  const encode = (list: readonly string[]) =>
    list.filter((s) => s.length > 0).map((s) => ({ text: s, bytes: Buffer.from(s) }));
  const tokens = encode(secrets.tokens);
  // Longer values first, so a value containing another is masked whole.
  const masked = encode(secrets.masked).sort((a, b) => b.text.length - a.text.length);
  const all = [...masked, ...tokens];
  return (trace) => {
    if (!all.some((s) => trace.includes(s.bytes))) return trace;
    // latin1 maps bytes 1:1 to chars, so replacing whole byte sequences cannot damage multi-byte text.
    let text = trace.toString("latin1");
    for (const s of masked)
      if (trace.includes(s.bytes)) text = text.split(s.bytes.toString("latin1")).join(MASKED);
    for (const s of tokens)
      if (trace.includes(s.bytes)) text = text.split(s.text).join("x".repeat(s.bytes.byteLength));
    return Buffer.from(text, "latin1");
  };
}

/**
 * The secrets of `build`'s trace (GitLab's `hide_secrets`): the project's runners token, the job token,
 * the token of the runner that runs it, and the project's masked variables.
 */
export function traceSecretsOf(store: Store, build: Build): TraceSecrets {
  const project = store.projects.get(build.projectId);
  const runner = build.runnerId === null ? undefined : store.runners.get(build.runnerId);
  return {
    tokens: [project?.runnersToken ?? "", build.token, runner?.token ?? ""].filter((s) => s.length > 0),
    masked: store.projectVariables
      .list(build.projectId)
      .filter((v) => v.masked)
      .map((v) => v.value),
  };
}

/** One chunk of a runner's trace: `bytes` at byte `offset` of build `buildId`. */
export interface TraceChunk {
  buildId: number;
  offset: number;
  bytes: Uint8Array;
}

/**
 * How the other servers of a cluster are told of trace bytes inside the commit that stores them: the
 * NOTIFY channel, and the payloads announcing bytes [offset, offset + bytes.length) of a build (the
 * cluster relay provides it; see async-trace-writer.ts).
 */
export interface CommitNotice {
  channel: string;
  payloadsOf(buildId: number, offset: number, bytes: Uint8Array): string[];
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

/**
 * The new bytes of a stored batch; a build's consecutive new bytes as one (watchers get one chunk). With
 * `retold`, chunks found already stored count too (see `appendBatch`).
 */
function newBytesOf(
  chunks: readonly TraceChunk[],
  results: readonly AppendTraceResult[],
  retold: boolean,
): Appended[] {
  const open = new Map<number, Appended>();
  const pending: Appended[] = [];
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i]!;
    const r = results[i]!;
    if (r.appendedBytes === 0) {
      // Only a retelling announces bytes this batch did not add: those it finds already stored.
      if (!retold) continue;
      const stored = r.accepted && c.bytes.byteLength > 0 && c.offset + c.bytes.byteLength <= r.length;
      if (!stored) continue;
    }
    const told = r.appendedBytes > 0 ? r.appendedBytes : c.bytes.byteLength;
    const data = c.bytes.subarray(c.bytes.byteLength - told);
    const start = r.appendedBytes > 0 ? r.length - r.appendedBytes : c.offset;
    const end = start + data.byteLength;
    const current = open.get(c.buildId);
    if (current && current.length === start) {
      current.parts.push(data);
      current.length = end;
      continue;
    }
    if (current) pending.push(current);
    open.set(c.buildId, { buildId: c.buildId, offset: start, parts: [data], length: end });
  }
  for (const a of open.values()) pending.push(a);
  return pending;
}

/** Appends and reads traces. */
export function createTraces(store: Store, events: ServerEvents, now: () => string) {
  /** Set by the cluster relay on a bus that can NOTIFY inside a commit (PostgreSQL); else undefined. */
  let commitNotice: CommitNotice | undefined;

  /**
   * One chunk; a build deleted (with its pipeline) since its chunk arrived takes nothing, and the batch's
   * other chunks are stored all the same. The append checks the build before it writes anything.
   */
  function appendOne(c: TraceChunk, at: string): AppendTraceResult {
    try {
      return store.traces.append(c.buildId, c.offset, c.bytes, at);
    } catch (e) {
      if (store.traces.length(c.buildId) !== undefined) throw e;
      return { accepted: false, length: 0, appendedBytes: 0 };
    }
  }

  /**
   * Appends every chunk in one transaction (one commit). A repeat or overlap stores only the new tail; a
   * gap (`offset` past the stored length) stores nothing and returns the current length. Nothing is
   * announced before the commit, and only when the caller says (after its acknowledgements).
   *
   * With `retold`, chunks found already stored are announced too: the caller does not know whether an
   * earlier attempt stored them (an asynchronous append whose answer was lost) and told anyone. Watchers
   * skip bytes they have, so telling twice is harmless; never telling would leave them short.
   */
  function appendBatch(chunks: readonly TraceChunk[], retold = false): AppendedBatch {
    const at = now();
    // A build's contiguous chunks are stored as one append (trace-runs.ts): the same bytes and answers.
    // A batch of one (a runner waiting for each ack) skips the grouping.
    const results =
      chunks.length === 1
        ? [store.transaction(() => appendOne(chunks[0]!, at))]
        : store.transaction(() => appendInRuns(chunks, (c) => appendOne(c, at)));
    return announcing(chunks, results, retold);
  }

  /**
   * {@link appendBatch} where the store can append without blocking the event loop (PostgreSQL): the
   * usual case, each build's first run starting at its stored length, is one asynchronous statement;
   * whatever it did not store (repeats, gaps, a build's later run) is then appended as `appendBatch`
   * would, in order. A rejection means nothing is known: the caller may run the batch through
   * `appendBatch`, which stores only what is missing.
   */
  async function appendBatchAsync(chunks: readonly TraceChunk[]): Promise<AppendedBatch> {
    const extend = store.extendTracesAsync;
    if (!extend) return appendBatch(chunks);
    const at = now();
    const runs = runsOf(chunks);
    const firstOfBuild = new Set<number>();
    const fast = runs.filter((r) => {
      if (firstOfBuild.has(r.buildId)) return false;
      firstOfBuild.add(r.buildId);
      return r.end > r.offset && Number.isSafeInteger(r.offset) && r.offset >= 0;
    });
    const notice = commitNotice;
    const stored = await extend(
      fast.map((run) => {
        const chunk = runChunk(run);
        return notice
          ? { ...chunk, notices: notice.payloadsOf(chunk.buildId, chunk.offset, chunk.bytes) }
          : chunk;
      }),
      at,
      notice?.channel,
    );
    const results: AppendTraceResult[] = new Array(chunks.length);
    const done = new Set(fast.filter((_, i) => stored[i]));
    for (const run of done)
      spreadRunResult(run, { accepted: true, length: run.end, appendedBytes: run.end - run.offset }, results);
    if (done.size < runs.length)
      store.transaction(() => {
        for (const run of runs)
          if (!done.has(run)) spreadRunResult(run, appendOne(runChunk(run), at), results);
      });
    // A build told in the commit is announced as such, so the relay does not tell it again; only where
    // its one run is all it has in the batch (a later run's bytes join the same announcement).
    let told: Set<number> | undefined;
    if (notice) {
      const runsOfBuild = new Map<number, number>();
      for (const run of runs) runsOfBuild.set(run.buildId, (runsOfBuild.get(run.buildId) ?? 0) + 1);
      told = new Set(
        fast.filter((run, i) => stored[i] && runsOfBuild.get(run.buildId) === 1).map((r) => r.buildId),
      );
    }
    return announcing(chunks, results, false, told);
  }

  /** Each chunk's result, and the announcement of the new bytes to make once the acks are out. */
  function announcing(
    chunks: readonly TraceChunk[],
    results: AppendTraceResult[],
    retold: boolean,
    toldCluster?: ReadonlySet<number>,
  ): AppendedBatch {
    const pending = newBytesOf(chunks, results, retold);
    return {
      results,
      announce() {
        for (const a of pending)
          events.emit("traceAppended", {
            buildId: a.buildId,
            offset: a.offset,
            data: a.parts.length === 1 ? asBuffer(a.parts[0]!) : Buffer.concat(a.parts),
            length: a.length,
            ...(toldCluster?.has(a.buildId) ? { toldCluster: true } : {}),
          });
      },
    };
  }

  return {
    appendBatch,
    appendBatchAsync,
    /** Whether appends go through {@link appendBatchAsync} without blocking (the store has a writer). */
    appendsAsync: store.extendTracesAsync !== undefined,
    /**
     * From now on, {@link appendBatchAsync} tells the other servers of what it stores in the same commit
     * (undefined: it stops); its announcements then say `toldCluster`.
     */
    tellInCommit(notice: CommitNotice | undefined): void {
      commitNotice = notice;
    },
    /** One chunk through {@link appendBatch}, announced at once (embedders and tests feeding a trace). */
    appendTrace(buildId: number, offset: number, bytes: Uint8Array): AppendTraceResult {
      const batch = appendBatch([{ buildId, offset, bytes }]);
      batch.announce();
      return batch.results[0]!;
    },
    /** The full trace with its secrets (`traceSecretsOf`) masked. */
    readMasked(buildId: number): Buffer {
      const build = store.builds.get(buildId);
      if (!build) return Buffer.alloc(0);
      return maskSecrets(store.traces.read(buildId), traceSecretsOf(store, build));
    },
  };
}

export type Traces = ReturnType<typeof createTraces>;
