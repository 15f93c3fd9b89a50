// Kept list windows against the store's own queries: after every write of a random run (new builds,
// status changes, rolled-back transactions, trigger jobs), each list's total and every page of it read
// from the windows equal what counting and listing the rows say.

import type { Build, BuildStatus } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSeedText } from "../fixtures/load-seed.js";
import { createSqliteStore, type SqliteStore } from "../store/create-store.js";
import { PIPELINE_SEED } from "../test-support/pipeline-seed.js";
import { seeded } from "../test-support/seeded-random.js";
import { CHILD_TRIGGER } from "../test-support/trigger-fixture.js";
import { type ListedBuilds, ListWindows } from "./list-windows.js";

let store: SqliteStore;
beforeEach(() => {
  store = createSqliteStore({ memory: true });
  loadSeedText(store, PIPELINE_SEED, "pipeline-seed", "2026-01-01T00:00:00.000Z");
});
afterEach(() => store.close());

const STATUSES: BuildStatus[] = ["created", "pending", "running", "success", "failed", "canceled", "manual"];
const LISTS: ListedBuilds[] = [
  { projectId: 1, statuses: null },
  { projectId: 1, statuses: ["pending"] },
  { projectId: 1, statuses: ["running", "pending"] },
  { projectId: 1, statuses: ["failed", "canceled"] },
  { projectId: 1, statuses: ["success"] },
];

/** Every page of every list, of `size` ids, from the windows and from the rows. */
function pagesOf(windows: ListWindows, size: number) {
  const fromWindows: unknown[] = [];
  const fromRows: unknown[] = [];
  for (const q of LISTS) {
    const listed = windows.list(q);
    const total = store.builds.count(q);
    fromWindows.push(listed.total);
    fromRows.push(total);
    for (let offset = 0; offset <= total; offset += size) {
      fromWindows.push(listed.ids(offset, size));
      fromRows.push(store.builds.listIds({ ...q, limit: size, offset }));
    }
  }
  return { fromWindows, fromRows };
}

describe("kept list windows", () => {
  it("say what the rows say through a random run of inserts, status changes and rollbacks", () => {
    // Windows of 3 ids at first and 8 at most, over ~45 builds: replays happen inside, at the edge and
    // beyond a window (of scoped lists too), and deep pages are queried.
    let fills = 0;
    const source = {
      count: (q: ListedBuilds) => {
        fills++;
        return store.builds.count(q);
      },
      listIds: store.builds.listIds,
    };
    const windows = new ListWindows(store.changes, source, { firstFill: 3, maxIds: 8 });
    const random = seeded(12);
    for (let step = 0; step < 400; step++) {
      const ids = store.builds.listAll().map((b) => b.id);
      const kind = random.int(10);
      if (kind < 3) {
        // A new build, maybe a trigger job (which no list shows).
        const source = store.builds.get(random.pick(ids))!;
        const fresh: Build = {
          ...source,
          id: store.builds.nextId(),
          token: `t-${step}`,
          status: random.pick(STATUSES),
          trigger: random.int(5) === 0 ? CHILD_TRIGGER : null,
        };
        store.transaction(() => store.builds.insert(fresh));
      } else if (kind < 9) {
        const build = store.builds.get(random.pick(ids))!;
        store.transaction(() =>
          store.builds.saveTransition({ ...build, status: random.pick(STATUSES) }, build),
        );
      } else {
        // A transaction that fails after its write: nothing of it may show.
        const build = store.builds.get(random.pick(ids))!;
        expect(() =>
          store.transaction(() => {
            store.builds.saveTransition({ ...build, status: random.pick(STATUSES) }, build);
            throw new Error("rolled back");
          }),
        ).toThrow("rolled back");
      }
      const { fromWindows, fromRows } = pagesOf(windows, random.pick([2, 3, 5]));
      expect(fromWindows).toEqual(fromRows);
    }
    // Most reads replayed moves; a window is listed again only when a move does not fit it.
    expect(fills).toBeLessThan((400 * LISTS.length) / 3);
  });

  it("keep no window from rows a transaction has not committed yet", () => {
    const windows = new ListWindows(store.changes, store.builds, { firstFill: 3, maxIds: 8 });
    const q = LISTS[1]!;
    const page = () => {
      const listed = windows.list(q);
      return { total: listed.total, ids: listed.ids(0, 3) };
    };
    const rows = () => ({
      total: store.builds.count(q),
      ids: store.builds.listIds({ ...q, limit: 3, offset: 0 }),
    });
    expect(page()).toEqual(rows());
    // A build that becomes pending, read inside the transaction and again after its commit: counted once.
    const build = store.builds.listAll().find((b) => b.status === "success")!;
    store.transaction(() => {
      store.builds.saveTransition({ ...build, status: "pending" }, build);
      expect(page()).toEqual(rows());
    });
    expect(page()).toEqual(rows());
    // A fresh window filled inside a transaction, then used after it.
    const fresh = new ListWindows(store.changes, store.builds, { firstFill: 3, maxIds: 8 });
    const other = store.builds.listAll().find((b) => b.status === "failed")!;
    store.transaction(() => {
      store.builds.saveTransition({ ...other, status: "pending" }, other);
      fresh.list(q);
    });
    expect(fresh.list(q).total).toBe(store.builds.count(q));
  });

  it("lists a window again once the moves since it are no longer kept", () => {
    const windows = new ListWindows(store.changes, store.builds, { firstFill: 6, maxIds: 20 });
    const q = LISTS[1]!;
    expect(windows.list(q).total).toBe(store.builds.count(q));
    // Another server's change names no builds: the moves since the window cannot be replayed.
    const build = store.builds.get(1)!;
    store.transaction(() => store.builds.saveTransition({ ...build, status: "pending" }, build));
    store.changes.applyRemote({
      builds: [],
      pipelineRows: [],
      members: [],
      lists: [[1, "pending"]],
      runners: [],
      contacts: [],
    });
    expect(store.changes.listMovesSince(store.changes.version - 2)).toBeNull();
    const listed = windows.list(q);
    expect(listed.total).toBe(store.builds.count(q));
    expect(listed.ids(0, 6)).toEqual(store.builds.listIds({ ...q, limit: 6, offset: 0 }));
  });
});
