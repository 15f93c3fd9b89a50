// Where a build's unacknowledged trace goes past the in-memory bound: an anonymous temporary file (unlinked
// as soon as it is open, so it disappears with the process, even under kill -9).

import { closeSync, openSync, readSync, unlinkSync, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Append-only bytes addressed from 0, readable at any position. */
export interface TraceSpill {
  append(data: Uint8Array): void;
  read(position: number, length: number): Buffer;
  close(): void;
}

/** A spill file in `dir` (the OS temp dir by default). */
export function createTraceSpillFile(dir: string = os.tmpdir()): TraceSpill {
  const file = path.join(
    dir,
    `buildsim-trace-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  );
  const fd = openSync(file, "w+", 0o600);
  unlinkSync(file);
  let size = 0;
  let closed = false;
  return {
    append(data) {
      let written = 0;
      while (written < data.byteLength)
        written += writeSync(fd, data, written, data.byteLength - written, size + written);
      size += data.byteLength;
    },
    read(position, length) {
      const out = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      let got = 0;
      while (got < out.byteLength) {
        const n = readSync(fd, out, got, out.byteLength - got, position + got);
        if (n === 0) break;
        got += n;
      }
      return out.subarray(0, got);
    },
    close() {
      if (!closed) closeSync(fd);
      closed = true;
    },
  };
}
