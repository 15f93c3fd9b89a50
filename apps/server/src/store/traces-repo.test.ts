// A trace is stored as the chunks runners appended: reading a range returns exactly its bytes whatever
// chunks it crosses, and an append is idempotent (a repeat adds nothing, a gap is refused). Runs on
// SQLite and on PostgreSQL, whose append is one statement and whose range reads are cut in the database.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSeedText } from "../fixtures/load-seed.js";
import { createTestStore } from "../test-support/test-store.js";
import type { Store } from "./create-store.js";

const SEED = `
users:
  - { id: 1, username: root, admin: true }
projects:
  - { id: 1, path: acme/app }
commits:
  - { project: 1, sha: "${"1".repeat(40)}", message: "one" }
pipelines:
  - { id: 1, project: 1, sha: "${"1".repeat(40)}", ref: main }
builds:
  - { id: 1, pipeline: 1, name: a, status: running, started_at: "2026-01-01T00:00:00.000Z" }
`;
const AT = "2026-01-01T00:00:01.000Z";

let store: Store;
beforeEach(() => {
  store = createTestStore();
  loadSeedText(store, SEED, "traces-seed", "2026-01-01T00:00:00.000Z");
});
afterEach(() => store.close());

/** Appends `parts` one after another, as a runner's chunks; returns the whole trace they make. */
function appendAll(parts: string[]): Buffer {
  let offset = 0;
  for (const part of parts) {
    const bytes = Buffer.from(part);
    store.transaction(() => store.traces.append(1, offset, bytes, AT));
    offset += bytes.byteLength;
  }
  return Buffer.from(parts.join(""));
}

describe("a build's trace", () => {
  it("reads back every range exactly, within a chunk, across chunks and past the end", () => {
    const whole = appendAll(["0123456789", "abcdef", "g", "hijklmnopqrstuvwxyz"]);
    expect(store.traces.length(1)).toBe(whole.byteLength);
    expect(store.traces.read(1)).toEqual(whole);
    for (const [from, to] of [
      [0, 36],
      [2, 5],
      [9, 11],
      [10, 16],
      [12, 17],
      [15, 30],
      [0, 1],
      [35, 36],
      [30, 100],
      [36, 40],
      [50, 60],
      [5, 5],
    ] as const)
      expect(store.traces.readRange(1, from, to).toString(), `[${from}, ${to})`).toBe(
        whole.subarray(from, to).toString(),
      );
  });

  it("stores a repeat once, keeps only the new tail of an overlap, and refuses a gap", () => {
    appendAll(["hello ", "world"]);
    const repeat = store.transaction(() => store.traces.append(1, 6, Buffer.from("world"), AT));
    expect(repeat).toEqual({ accepted: true, length: 11, appendedBytes: 0 });
    const overlap = store.transaction(() => store.traces.append(1, 6, Buffer.from("world!\n"), AT));
    expect(overlap).toEqual({ accepted: true, length: 13, appendedBytes: 2 });
    const gap = store.transaction(() => store.traces.append(1, 20, Buffer.from("late"), AT));
    expect(gap).toEqual({ accepted: false, length: 13, appendedBytes: 0 });
    expect(store.traces.read(1).toString()).toBe("hello world!\n");
    expect(store.traces.readRange(1, 8, 13).toString()).toBe("rld!\n");
  });
});
