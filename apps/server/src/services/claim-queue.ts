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
  /** The batch's transaction failed and was rolled back: nobody got a build. */
  failBatch(requesters: T[], error: unknown): void;
  /** Runs `fn` once the current turn of the event loop is over. @default setImmediate */
  defer?: (fn: () => void) => void;
}

/** Creates the queue; `add(from)` claims for `from` with whatever else arrives in this turn. */
export function createClaimQueue<T>(d: ClaimQueueDeps<T>) {
  const defer = d.defer ?? ((fn: () => void) => setImmediate(fn));
  const incoming: T[] = [];

  const drain = () => {
    const batch = incoming.splice(0);
    let results: Array<Build | null>;
    try {
      results = d.store.transaction(() =>
        batch.map((from) => {
          const runnerId = d.runnerOf(from);
          return runnerId === null ? null : claimForRunner(d.store, d.claimBuild, runnerId, d.now());
        }),
      );
    } catch (e) {
      d.failBatch(batch, e);
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
