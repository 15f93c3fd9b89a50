// The contract-testing controls (issue #15) as one object: the handle's methods, the admin API and
// @buildsim/testing all call these, so each control behaves the same in every form.

import type { ControllableClock } from "@buildsim/core";
import type { App } from "../app.js";
import { FaultPlan } from "../http/fault-plan.js";
import { RequestJournal, type RequestJournalOptions } from "../http/request-journal.js";
import type { Store } from "../store/create-store.js";
import type { StoreSnapshot } from "../store/table-snapshot.js";
import { ClockControl } from "./clock-control.js";
import { JobScripts } from "./job-scripts.js";
import { JobSteps } from "./job-steps.js";
import { NamedSnapshots } from "./named-snapshots.js";
import { StateFixtures } from "./state-fixtures.js";

/** How the controls are set up (`startServer`'s `controls` option). */
export interface ContractControlsOptions {
  /** The request journal's bounds. */
  journal?: RequestJournalOptions;
  /** Where fault rules' percentages and random delays draw from, in [0, 1). @default Math.random */
  random?: () => number;
}

/** What the controls act on. */
export interface ContractControlsHost {
  /** What the job scripts, their steps and the fixtures use of the wiring. */
  app: Pick<App, "store" | "events" | "transitions" | "traces" | "now" | "clock" | "log" | "generateToken">;
  store: Store;
  /** The server's clock. */
  clock: ControllableClock;
  /** Ends the WebSocket links of these runners; they reconnect and find the restored state. */
  dropRunnerLinks(runnerIds: number[]): void;
  /** Tells the runner watchdog the server itself runs this build (no heartbeat will come). */
  runByServer(buildId: number): void;
  /** The admin token the handle hands out (a loaded fixture keeps it working). */
  adminToken: string;
  /** The runner registration token's setting (a loaded fixture keeps it). */
  registrationToken: { key: string; value: string };
}

/** The controls of one server. */
export interface ContractControls {
  /**
   * Puts the server back as it started (the seed, the admin token, the registration token): every row
   * and artifact file, the request journal emptied, every fault rule removed, runner links dropped so
   * runners reconnect, the clock back on real time.
   */
  reset(): void;
  /** The server's time: freeze, set, advance. */
  readonly clock: ClockControl;
  /**
   * Jobs without a runner: scripts the server plays when a matching job is queued (`add`, `list`,
   * `remove`, `clear`), and by hand (`steps`: start, appendTrace, attachArtifacts, finish).
   */
  readonly jobs: JobScripts;
  /** The state as data: `export()` a seed document, `load(fixture)` in place of the state or merged by id. */
  readonly fixtures: StateFixtures;
  /** Every API request answered since the last reset. */
  readonly requests: RequestJournal;
  /** The fault rules in force. */
  readonly faults: FaultPlan;
  /**
   * Named states: `take(name)`, `restore(name)` (runner links dropped; the journal and fault rules are
   * left as they are), `list()`, `drop(name)`. A reset keeps them.
   */
  readonly snapshots: NamedSnapshots;
  /** Frees the snapshots (the server closes). */
  close(): void;
}

/** The controls, with the state as it is now as the reset point. */
export function createContractControls(
  host: ContractControlsHost,
  options: ContractControlsOptions = {},
): ContractControls {
  const requests = new RequestJournal(options.journal);
  const faults = new FaultPlan(options.random);
  const start: StoreSnapshot = host.store.snapshot();
  /** Restores, then drops the links of the runners there were before (they reconnect). */
  const restoring = (restore: () => void) => {
    const runnerIds = host.store.runners.list().map((r) => r.id);
    // The jobs being played are about to be replaced.
    jobs.stopAll();
    restore();
    host.dropRunnerLinks(runnerIds);
  };
  const snapshots = new NamedSnapshots(host.store, restoring, () => host.clock.now());
  const clock = new ClockControl(host.clock, host.store);
  const jobs = new JobScripts(host.app, new JobSteps(host.app, host.runByServer));
  const fixtures = new StateFixtures({
    store: host.store,
    now: host.app.now,
    generateToken: host.app.generateToken,
    adminToken: host.adminToken,
    registrationToken: host.registrationToken,
    restoring,
  });
  return {
    clock,
    jobs,
    fixtures,
    requests,
    faults,
    snapshots,
    reset(): void {
      restoring(() => host.store.restore(start));
      requests.clear();
      faults.clear();
      jobs.clear();
      clock.useRealTime();
    },
    close(): void {
      jobs.close();
      snapshots.clear();
      host.store.dropSnapshot(start);
    },
  };
}
