// The contract-testing controls (issue #15) as one object: the handle's methods, the admin API and
// @buildsim/testing all call these, so each control behaves the same in every form.

import { RequestJournal, type RequestJournalOptions } from "../http/request-journal.js";
import type { Store } from "../store/create-store.js";
import type { StoreSnapshot } from "../store/table-snapshot.js";

/** How the controls are set up (`startServer`'s `controls` option). */
export interface ContractControlsOptions {
  /** The request journal's bounds. */
  journal?: RequestJournalOptions;
}

/** What the controls act on. */
export interface ContractControlsHost {
  store: Store;
  /** Ends the WebSocket links of these runners; they reconnect and find the restored state. */
  dropRunnerLinks(runnerIds: number[]): void;
}

/** The controls of one server. */
export interface ContractControls {
  /**
   * Puts the server back as it started (the seed, the admin token, the registration token): every row
   * and artifact file, the request journal emptied, runner links dropped so runners reconnect.
   */
  reset(): void;
  /** Every API request answered since the last reset. */
  readonly requests: RequestJournal;
  /** Frees the snapshots (the server closes). */
  close(): void;
}

/** The controls, with the state as it is now as the reset point. */
export function createContractControls(
  host: ContractControlsHost,
  options: ContractControlsOptions = {},
): ContractControls {
  const requests = new RequestJournal(options.journal);
  const start: StoreSnapshot = host.store.snapshot();
  return {
    requests,
    reset(): void {
      const runnerIds = host.store.runners.list().map((r) => r.id);
      host.store.restore(start);
      host.dropRunnerLinks(runnerIds);
      requests.clear();
    },
    close(): void {
      host.store.dropSnapshot(start);
    },
  };
}
