// The asynchronous trace append NOTIFYs the other servers in its own commit (async-trace-writer.ts): a
// stored run's notices, in order; nothing for a run it did not store. A LISTEN connection of the test's
// own hears them; a marker NOTIFY sent afterwards proves that nothing else came before it.

import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSeedText } from "../../fixtures/load-seed.js";
import { runSql, testPostgresUrl, uniqueChannel } from "../../test-support/cluster-postgres.js";
import { createTestStore } from "../../test-support/test-store.js";
import type { Store } from "../create-store.js";

const SEED = `
users:
  - { id: 1, username: root, admin: true, tokens: [tok] }
projects:
  - { id: 1, path: g/p }
commits:
  - { project: 1, sha: "${"c".repeat(40)}", message: m }
pipelines:
  - { id: 1, project: 1, sha: "${"c".repeat(40)}", ref: main }
builds:
  - { id: 1, pipeline: 1, name: a, script: ["echo"], status: running }
  - { id: 2, pipeline: 1, name: b, script: ["echo"], status: running }
`;

let store: Store;
let listener: pg.Client;
let channel: string;
let heard: string[];

beforeEach(async () => {
  store = createTestStore();
  loadSeedText(store, SEED, "seed", new Date().toISOString());
  channel = uniqueChannel();
  heard = [];
  listener = new pg.Client({ connectionString: testPostgresUrl() });
  await listener.connect();
  listener.on("notification", (n) => heard.push(n.payload ?? ""));
  await listener.query(`LISTEN ${channel}`);
});
afterEach(async () => {
  await listener.end();
  store.close();
});

/** Everything heard up to a marker sent now (notifications arrive in commit order). */
async function heardSoFar(): Promise<string[]> {
  await runSql("SELECT pg_notify($1, 'marker')", [channel]);
  while (!heard.includes("marker")) await new Promise((r) => setTimeout(r, 5));
  return heard.splice(0).filter((p) => p !== "marker");
}

const run = (buildId: number, offset: number, text: string, notices: string[]) => ({
  buildId,
  offset,
  bytes: Buffer.from(text),
  notices,
});

describe("the asynchronous trace append on PostgreSQL", () => {
  it("NOTIFYs a stored run's notices in order, and nothing for a run whose offset is not the stored length", async () => {
    const at = new Date().toISOString();
    expect(await store.extendTracesAsync!([run(1, 0, "hello\n", ["one", "two"])], at, channel)).toEqual([
      true,
    ]);
    expect(await heardSoFar()).toEqual(["one", "two"]);
    // Sent again (an answer that was lost): the length moved already, so nothing is stored or told.
    expect(await store.extendTracesAsync!([run(1, 0, "hello\n", ["again"])], at, channel)).toEqual([false]);
    expect(await heardSoFar()).toEqual([]);
    expect(store.traces.read(1).toString()).toBe("hello\n");
  });

  it("NOTIFYs only the stored runs' notices when one statement appends to several builds", async () => {
    const at = new Date().toISOString();
    const stored = await store.extendTracesAsync!(
      [run(1, 0, "a\n", ["1a", "1b"]), run(2, 5, "gap\n", ["2a"])],
      at,
      channel,
    );
    expect(stored).toEqual([true, false]);
    expect(await heardSoFar()).toEqual(["1a", "1b"]);
    expect(
      await store.extendTracesAsync!([run(1, 2, "b\n", ["1c"]), run(2, 0, "x\n", ["2b", "2c"])], at, channel),
    ).toEqual([true, true]);
    expect(await heardSoFar()).toEqual(["1c", "2b", "2c"]);
    expect([store.traces.read(1).toString(), store.traces.read(2).toString()]).toEqual(["a\nb\n", "x\n"]);
  });

  it("sends no NOTIFY without a channel", async () => {
    const at = new Date().toISOString();
    expect(await store.extendTracesAsync!([run(1, 0, "z\n", ["unsent"])], at)).toEqual([true]);
    expect(await heardSoFar()).toEqual([]);
  });
});
