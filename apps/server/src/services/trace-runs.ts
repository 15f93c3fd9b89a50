// A batch of trace chunks stored as few appends as possible: a build's chunks that each start where the
// one before ended (a runner streaming faster than its acks come back) are joined into one append, and
// the joined result is split back into what appending each chunk in turn would have answered. On
// PostgreSQL each append is a few round trips, whatever its size, so a batch costs per build, not per chunk.

import type { AppendTraceResult } from "../store/traces-repo.js";

/** A chunk as the batch holds it. */
export interface RunChunk {
  buildId: number;
  offset: number;
  bytes: Uint8Array;
}

/** Chunks of one build that are contiguous, in arrival order, with their places in the batch. */
export interface Run {
  buildId: number;
  offset: number;
  parts: Uint8Array[];
  indexes: number[];
  end: number;
}

/** Groups `chunks` into runs: per build in arrival order, a new run wherever a chunk does not continue the last. */
export function runsOf(chunks: readonly RunChunk[]): Run[] {
  const runs: Run[] = [];
  const open = new Map<number, Run>();
  chunks.forEach((c, i) => {
    const last = open.get(c.buildId);
    if (last && c.offset === last.end) {
      last.parts.push(c.bytes);
      last.indexes.push(i);
      last.end += c.bytes.byteLength;
      return;
    }
    // A chunk whose offset is no whole number starts (and ends) a run of its own: the store refuses it.
    const end = Number.isSafeInteger(c.offset) ? c.offset + c.bytes.byteLength : Number.NaN;
    const run: Run = { buildId: c.buildId, offset: c.offset, parts: [c.bytes], indexes: [i], end };
    runs.push(run);
    open.set(c.buildId, run);
  });
  return runs;
}

/**
 * What appending `sizes`' chunks one by one from `offset` would answer, given what appending them as one
 * answered (`joined`): the stored length before them is what the joined append started from.
 */
function splitResult(
  joined: AppendTraceResult,
  offset: number,
  sizes: readonly number[],
): AppendTraceResult[] {
  if (!joined.accepted) return sizes.map(() => ({ ...joined }));
  let length = joined.length - joined.appendedBytes;
  let at = offset;
  return sizes.map((size) => {
    const end = at + size;
    at = end;
    // Each chunk starts where the one before ended, at or below the length then stored: never a gap.
    if (end <= length) return { accepted: true, length, appendedBytes: 0 };
    const appendedBytes = end - length;
    length = end;
    return { accepted: true, length, appendedBytes };
  });
}

/** Puts each of `run`'s chunks' own result in `results`, from what appending the run as one answered. */
export function spreadRunResult(run: Run, joined: AppendTraceResult, results: AppendTraceResult[]): void {
  if (run.parts.length === 1) {
    results[run.indexes[0]!] = joined;
    return;
  }
  const split = splitResult(
    joined,
    run.offset,
    run.parts.map((p) => p.byteLength),
  );
  run.indexes.forEach((index, k) => {
    results[index] = split[k]!;
  });
}

/** The run as one chunk (its parts joined; a one-chunk run is that chunk's bytes, not copied). */
export function runChunk(run: Run): RunChunk {
  const bytes = run.parts.length === 1 ? run.parts[0]! : Buffer.concat(run.parts);
  return { buildId: run.buildId, offset: run.offset, bytes };
}

/** Appends `chunks` with `append` (one call per run) and returns each chunk's own result, in batch order. */
export function appendInRuns(
  chunks: readonly RunChunk[],
  append: (chunk: RunChunk) => AppendTraceResult,
): AppendTraceResult[] {
  const results: AppendTraceResult[] = new Array(chunks.length);
  for (const run of runsOf(chunks)) spreadRunResult(run, append(runChunk(run)), results);
  return results;
}
