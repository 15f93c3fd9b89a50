import { newBuild, newPipeline, newUser } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import { seeded } from "../test-support/seeded-random.js";
import { createTestStore } from "../test-support/test-store.js";
import { createTraces, MASKED, maskSecrets, secretMasker, type Traces } from "./traces.js";

let store: Store;
let traces: Traces;
let events: ServerEvents;
const bytes = (s: string) => Buffer.from(s);

beforeEach(() => {
  store = createTestStore();
  events = new ServerEvents();
  traces = createTraces(store, events, () => "2026-01-01T00:00:00.000Z");
  store.transaction(() => {
    store.users.insert(newUser({ id: 1, username: "u", createdAt: "2026-01-01T00:00:00.000Z" }));
    store.projects.insert({
      id: 1,
      pathWithNamespace: "g/p",
      name: "p",
      description: null,
      visibility: "private",
      publicBuilds: true,
      buildsEnabled: true,
      defaultBranch: "master",
      runnersToken: "RUNNERS-TOKEN",
      members: [],
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    store.pipelines.insert(
      newPipeline({
        id: 1,
        projectId: 1,
        sha: "a".repeat(40),
        ref: "master",
        status: "running",
        createdAt: "2026-01-01T00:00:00.000Z",
      }),
    );
    store.builds.insert(
      newBuild({
        id: 1,
        projectId: 1,
        pipelineId: 1,
        name: "b",
        ref: "master",
        sha: "a".repeat(40),
        token: "BUILD-TOKEN",
        createdAt: "2026-01-01T00:00:00.000Z",
      }),
    );
  });
});
afterEach(() => store.close());

describe("appendTrace", () => {
  it("appends consecutive chunks and persists the length on the build", () => {
    expect(traces.appendTrace(1, 0, bytes("hello "))).toEqual({
      accepted: true,
      length: 6,
      appendedBytes: 6,
    });
    expect(traces.appendTrace(1, 6, bytes("world"))).toEqual({
      accepted: true,
      length: 11,
      appendedBytes: 5,
    });
    expect(store.traces.read(1).toString()).toBe("hello world");
    expect(store.builds.get(1)?.trace.bytes).toBe(11);
  });

  it("never stores a repeated chunk twice", () => {
    traces.appendTrace(1, 0, bytes("abc"));
    expect(traces.appendTrace(1, 0, bytes("abc"))).toEqual({ accepted: true, length: 3, appendedBytes: 0 });
    expect(store.traces.read(1).toString()).toBe("abc");
  });

  it("stores only the new tail of an overlapping chunk", () => {
    traces.appendTrace(1, 0, bytes("abcd"));
    expect(traces.appendTrace(1, 2, bytes("cdef"))).toEqual({ accepted: true, length: 6, appendedBytes: 2 });
    expect(store.traces.read(1).toString()).toBe("abcdef");
  });

  it("refuses a chunk that leaves a gap and reports the current length", () => {
    traces.appendTrace(1, 0, bytes("abc"));
    expect(traces.appendTrace(1, 5, bytes("xyz"))).toEqual({ accepted: false, length: 3, appendedBytes: 0 });
    expect(store.traces.read(1).toString()).toBe("abc");
  });

  it("emits traceAppended with only the bytes that were new", () => {
    const seen: Array<{ offset: number; data: string; length: number }> = [];
    events.on("traceAppended", (e) =>
      seen.push({ offset: e.offset, data: e.data.toString(), length: e.length }),
    );
    traces.appendTrace(1, 0, bytes("abcd"));
    traces.appendTrace(1, 2, bytes("cdef"));
    traces.appendTrace(1, 0, bytes("ab"));
    expect(seen).toEqual([
      { offset: 0, data: "abcd", length: 4 },
      { offset: 4, data: "ef", length: 6 },
    ]);
  });

  it("stores nothing for a build that does not exist (deleted with its pipeline since)", () => {
    expect(traces.appendTrace(999, 0, bytes("x"))).toEqual({ accepted: false, length: 0, appendedBytes: 0 });
  });
});

describe("appendBatch", () => {
  /** Build 2: the same as build 1, to append the same chunks to one by one. */
  const insertTwin = () =>
    store.transaction(() =>
      store.builds.insert({ ...store.builds.get(1)!, id: 2, name: "twin", token: "TWIN-TOKEN" }),
    );

  it("answers each chunk of a build's contiguous run as appending it alone would, and stores the same bytes", () => {
    insertTwin();
    const batch = [
      { offset: 0, text: "ab" },
      { offset: 2, text: "cd" },
      { offset: 2, text: "cd" }, // a repeat starts a new run, which the next chunk continues
      { offset: 4, text: "ef" },
      { offset: 9, text: "zz" }, // a gap: refused, and so is the chunk that continues it
      { offset: 11, text: "yy" },
      { offset: 5, text: "fgh" }, // an overlap
    ];
    const joined = traces.appendBatch(
      batch.map((c) => ({ buildId: 1, offset: c.offset, bytes: bytes(c.text) })),
    );
    const alone = batch.map((c) => traces.appendTrace(2, c.offset, bytes(c.text)));
    expect(joined.results).toEqual(alone);
    expect(joined.results.map((r) => r.length)).toEqual([2, 4, 4, 6, 6, 6, 8]);
    expect(store.traces.read(1).toString()).toBe("abcdefgh");
    expect(store.traces.read(2).toString()).toBe("abcdefgh");
  });

  it("matches one-by-one appends on random batches of two builds' interleaved chunks", () => {
    insertTwin();
    store.transaction(() =>
      store.builds.insert({ ...store.builds.get(1)!, id: 3, name: "other", token: "OTHER-TOKEN" }),
    );
    const random = seeded(16);
    const text = "0123456789abcdefghijklmnopqrstuvwxyz".repeat(8);
    for (let round = 0; round < 40; round++) {
      // Chunks mostly continue the last one sent (a runner ahead of its acks), sometimes repeat or skip.
      let sent = store.traces.length(1)!;
      const chunks: Array<{ buildId: number; offset: number; bytes: Buffer }> = [];
      for (let k = 0; k < 1 + random.int(6); k++) {
        const offset = Math.max(0, sent + random.pick([0, 0, 0, 0, -2, 3]));
        const size = random.int(5);
        chunks.push({
          buildId: random.pick([1, 1, 3]),
          offset,
          bytes: bytes(text.slice(offset, offset + size)),
        });
        sent = offset + size;
      }
      const joined = traces.appendBatch(chunks).results;
      // Build 3's chunks are interleaved only to be told apart; build 1's are replayed on build 2 alone.
      const own = chunks.flatMap((c, i) => (c.buildId === 1 ? [{ c, result: joined[i] }] : []));
      expect(own.map((o) => o.result)).toEqual(own.map((o) => traces.appendTrace(2, o.c.offset, o.c.bytes)));
      expect(store.traces.read(1)).toEqual(store.traces.read(2));
    }
  });
});

describe("readMasked", () => {
  it("replaces the project's runners token and the build token with as many x", () => {
    traces.appendTrace(1, 0, bytes("runner RUNNERS-TOKEN build BUILD-TOKEN done"));
    expect(traces.readMasked(1).toString()).toBe(`runner ${"x".repeat(13)} build ${"x".repeat(11)} done`);
  });

  it("leaves multi-byte text around a secret intact", () => {
    expect(maskSecrets(bytes("héllo SECRET wörld"), { tokens: ["SECRET"], masked: [] }).toString()).toBe(
      "héllo xxxxxx wörld",
    );
  });
});

describe("secretMasker", () => {
  const secrets = { tokens: ["TOKEN-1", "TOK"], masked: ["password123", "word1234"] };
  const mask = secretMasker(secrets);

  it("hands back a trace holding no secret as it is, not a copy (the live trace masks every message)", () => {
    const trace = bytes("nothing to hide here");
    expect(mask(trace)).toBe(trace);
  });

  it("masks as maskSecrets does: longer masked values first, tokens by as many x", () => {
    const trace = bytes("a TOKEN-1 b TOK c password1234 d word1234 é");
    const masked = mask(trace).toString();
    expect(masked).toBe(`a xxxxxxx b xxx c ${MASKED}4 d ${MASKED} é`);
    expect(masked).toBe(maskSecrets(trace, secrets).toString());
  });
});
