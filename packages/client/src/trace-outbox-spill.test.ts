import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TraceOutbox } from "./trace-outbox.js";
import { createTraceSpillFile } from "./trace-spill-file.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "buildsim-spill-test-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** Drains the outbox as a server that acknowledges every message would, returning what it received. */
function drain(outbox: TraceOutbox, maxBytes: number): string {
  let received = "";
  for (let slice = outbox.next(maxBytes); slice; slice = outbox.next(maxBytes)) {
    expect(slice.offset).toBe(outbox.ackedBytes);
    received += slice.data.toString();
    outbox.ack(slice.offset + slice.data.byteLength);
  }
  return received;
}

describe("trace outbox memory bound", () => {
  it("keeps at most maxMemoryBytes in memory and spills the rest to disk, losing nothing", () => {
    const outbox = new TraceOutbox(0, 10, () => createTraceSpillFile(dir));
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}\n`);
    for (const line of lines) outbox.append(Buffer.from(line));
    expect(outbox.memoryBytes).toBeLessThanOrEqual(10);
    expect(outbox.spilledBytes).toBe(outbox.totalBytes - outbox.memoryBytes);
    expect(drain(outbox, 16)).toBe(lines.join(""));
    expect(outbox.settled).toBe(true);
  });

  it("goes back to memory once the server has caught up, and resends spilled bytes after a gap", () => {
    const outbox = new TraceOutbox(0, 4, () => createTraceSpillFile(dir));
    outbox.append(Buffer.from("abcdefgh"));
    expect(outbox.spilledBytes).toBe(8);
    const first = outbox.next(3)!;
    expect(first.data.toString()).toBe("abc");
    // The server lost the message (a reconnect): the same bytes come again from disk.
    outbox.resetInFlight();
    expect(outbox.next(3)!.data.toString()).toBe("abc");
    outbox.ack(3);
    expect(drain(outbox, 3)).toBe("defgh");
    outbox.append(Buffer.from("ij"));
    expect(outbox.spilledBytes).toBe(0);
    expect(outbox.memoryBytes).toBe(2);
  });

  it("leaves no file in the spill directory, even while spilling (the file is unlinked once open)", () => {
    const outbox = new TraceOutbox(0, 1, () => createTraceSpillFile(dir));
    outbox.append(Buffer.from("spilled"));
    expect(outbox.spilledBytes).toBe(7);
    expect(readdirSync(dir)).toEqual([]);
    outbox.dispose();
  });
});
