// Claims that arrive in the same turn of the event loop share one transaction (one commit instead of one
// per claim); each still gets the oldest build left for it, in arrival order. Who asked, and how the
// answer travels, is the caller's (`T`: the runner hub's session and message).

import type { Build } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import { type ClaimBuild, claimForRunner } from "./claim-build.js";

/** What the queue needs; `answer` and `failBatch` carry the results back to the requesters. */
export interface ClaimQueueDeps<T> {
  store: Store;
  claimBuild: ClaimBuild;
  /** Now, as an ISO timestamp. */
  now: () => string;
  /** The runner a requester claims for, read when its batch runs; null when it went away meanwhile. */
  runnerOf(from: T): number | null;
  /** Each requester's build (null: none matched), in arrival order, after the batch committed. */
  answer(from: T, build: Build | null): void;
  /**
   * These requesters' claims failed and were rolled back: nobody of them got a build (a batch whose
   * transaction failed is tried again one claim at a time first).
   */
  failBatch(requesters: T[], error: unknown): void;
  /** Runs `fn` once the current turn of the event loop is over. @default setImmediate */
  defer?: (fn: () => void) => void;
}

/** Creates the queue; `add(from)` claims for `from` with whatever else arrives in this turn. */
export function createClaimQueue<T>(d: ClaimQueueDeps<T>) {
  const defer = d.defer ?? ((fn: () => void) => setImmediate(fn));
  const incoming: T[] = [];

  const claimFor = (from: T): Build | null => {
    const runnerId = d.runnerOf(from);
    return runnerId === null ? null : claimForRunner(d.store, d.claimBuild, runnerId, d.now());
  };

  /**
   * Each claim of a batch that failed, in a transaction of its own: on PostgreSQL one claim that kept
   * losing its serialization race with another server's transaction failed the whole batch, every
   * runner in it answered with an error (~2 % of claims with 3 servers × 30 runners). Only the claims
   * that fail again alone are answered so.
   */
  const oneByOne = (batch: T[]) => {
    const failed: T[] = [];
    let error: unknown;
    for (const from of batch) {
      let build: Build | null;
      try {
        build = d.store.transaction(() => claimFor(from));
      } catch (e) {
        failed.push(from);
        error = e;
        continue;
      }
      d.answer(from, build);
    }
    if (failed.length > 0) d.failBatch(failed, error);
  };

  const drain = () => {
    const batch = incoming.splice(0);
    let results: Array<Build | null>;
    try {
      results = d.store.transaction(() => batch.map(claimFor));
    } catch (e) {
      if (batch.length > 1) oneByOne(batch);
      else d.failBatch(batch, e);
      return;
    }
    batch.forEach((from, i) => {
      d.answer(from, results[i] ?? null);
    });
  };

  return {
    add(from: T): void {
      incoming.push(from);
      if (incoming.length === 1) defer(drain);
    },
  };
}

export type ClaimQueue<T> = ReturnType<typeof createClaimQueue<T>>;
