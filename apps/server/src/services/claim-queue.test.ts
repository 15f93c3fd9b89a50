// Claims arriving in one turn share a transaction; when it fails (on PostgreSQL: a serialization race
// with another server's claims that outlasted the retries), each claim is tried again in a transaction
// of its own, and only those that fail again are answered as failed.

import type { Build } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerEvents } from "../events/server-events.js";
import { loadSeedText } from "../fixtures/load-seed.js";
import type { Store } from "../store/create-store.js";
import { RUNNER_SEED } from "../test-support/runner-seed.js";
import { createTestStore } from "../test-support/test-store.js";
import { createBuildTransitions } from "./build-transitions.js";
import { createClaimBuild } from "./claim-build.js";
import { createClaimQueue } from "./claim-queue.js";

let store: Store;
beforeEach(() => {
  store = createTestStore();
  loadSeedText(store, RUNNER_SEED, "seed", "2026-01-01T00:00:00.000Z");
});
afterEach(() => store.close());

/** Fails the store's next `n` transactions, as a conflict past the retries would. */
function failNextTransactions(n: number): void {
  const transaction = store.transaction.bind(store);
  let left = n;
  store.transaction = ((fn: () => unknown) => {
    if (left-- > 0) throw new Error("could not serialize access (simulated)");
    return transaction(fn);
  }) as typeof store.transaction;
}

/** A queue whose batch runs when `run` is called; requesters are runner ids. */
function queue() {
  const answers: Array<[number, number | null]> = [];
  const failed: number[][] = [];
  let pendingDrain: (() => void) | undefined;
  const claims = createClaimQueue<number>({
    store,
    claimBuild: createClaimBuild(store, createBuildTransitions(store, new ServerEvents())),
    now: () => "2026-01-01T00:01:00.000Z",
    runnerOf: (runnerId) => runnerId,
    answer: (runnerId, build: Build | null) => answers.push([runnerId, build?.id ?? null]),
    failBatch: (runnerIds) => failed.push(runnerIds),
    defer: (fn) => {
      pendingDrain = fn;
    },
  });
  return { claims, answers, failed, run: () => pendingDrain?.() };
}

describe("the claim queue", () => {
  it("claims a batch in one transaction, oldest build first, in arrival order", () => {
    const q = queue();
    q.claims.add(2);
    q.claims.add(1);
    q.run();
    // Runner 2 (tags docker, linux) gets the tagged build 1; runner 1 (untagged) the plain build 2.
    expect(q.answers).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(q.failed).toEqual([]);
  });

  it("tries each claim of a failed batch alone, so one conflict does not fail every runner in it", () => {
    const q = queue();
    q.claims.add(2);
    q.claims.add(1);
    failNextTransactions(1);
    q.run();
    expect(q.answers).toEqual([
      [2, 1],
      [1, 2],
    ]);
    expect(q.failed).toEqual([]);
    expect([store.builds.get(1)?.status, store.builds.get(2)?.status]).toEqual(["running", "running"]);
  });

  it("answers as failed only the claims that fail again alone, and leaves their builds pending", () => {
    const q = queue();
    q.claims.add(2);
    q.claims.add(1);
    // The batch, then runner 2's own transaction; runner 1's goes through.
    failNextTransactions(2);
    q.run();
    expect(q.answers).toEqual([[1, 2]]);
    expect(q.failed).toEqual([[2]]);
    expect(store.builds.get(1)?.status).toBe("pending");
  });

  it("answers a failed batch of one as failed at once", () => {
    const q = queue();
    q.claims.add(1);
    failNextTransactions(1);
    q.run();
    expect(q.answers).toEqual([]);
    expect(q.failed).toEqual([[1]]);
    expect(store.builds.get(2)?.status).toBe("pending");
  });
});
