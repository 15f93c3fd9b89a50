// useGitLab(): one buildsim server per test file (port 0, in-memory SQLite), reset to its seed (fault rules
// removed, journal emptied, clock on real time) before every test, with the contract-testing controls at hand. Registers vitest's hooks when called.

import type {
  ClockControl,
  FaultPlan,
  JobScripts,
  NamedSnapshots,
  RequestJournal,
  RunningServer,
  StartServerOptions,
  StateFixtures,
} from "@buildsim/server";
import { startServer } from "@buildsim/server";
import { afterAll, beforeAll, beforeEach } from "vitest";

/** How to start the double: startServer's options, plus when to reset. */
export interface UseGitLabOptions extends StartServerOptions {
  /** Reset the server (seed, journal) before each test. @default true */
  resetBetweenTests?: boolean;
}

/** The running double, usable inside tests and hooks (the server starts in `beforeAll`). */
export interface GitLabDouble {
  /** `http://127.0.0.1:<port>`: point your GitLab client here. */
  readonly url: string;
  /** An admin's private token (the seed's first admin's, or a new `root`'s). */
  readonly token: string;
  /** The instance's runner registration token. */
  readonly registrationToken: string;
  /** Every API request answered since the last reset: `find`, `count`, `verify`. */
  readonly requests: RequestJournal;
  /** Fault rules (429s, 5xx, delays, dropped connections, cut bodies); removed by each reset. */
  readonly faults: FaultPlan;
  /** Named states: `take(name)`, `restore(name)`, `list()`, `drop(name)`; kept across resets. */
  readonly snapshots: NamedSnapshots;
  /** The server's time: `freeze(at?)`, `advance(by)`, `set(at)`, `unfreeze()`; back on real time at each reset. */
  readonly clock: ClockControl;
  /** Jobs without a runner: `add(script)` (trace, duration, artifacts, exit code) and `steps`; scripts go at each reset. */
  readonly jobs: JobScripts;
  /**
   * The state as data: `export()` a seed document (a fixture from a run), `load(fixture)` in place of the
   * state, or `load(fixture, { mode: "merge" })` into it by id.
   */
  readonly fixtures: StateFixtures;
  /** The whole handle, for anything else (`store`, `events`, `realtime`). */
  readonly server: RunningServer;
  /** Puts the server back as it started, now (it also happens before each test). */
  reset(): void;
}

/**
 * Starts buildsim for the calling test file and returns its double. Call it at the top level of the file
 * (or in a `describe`): it registers `beforeAll` (start), `beforeEach` (reset) and `afterAll` (close).
 */
export function useGitLab(options: UseGitLabOptions = {}): GitLabDouble {
  const { resetBetweenTests = true, ...serverOptions } = options;
  let running: RunningServer | undefined;
  const server = (): RunningServer => {
    if (!running)
      throw new Error("useGitLab(): the server starts in beforeAll; use it inside a test or a hook");
    return running;
  };

  beforeAll(async () => {
    running = await startServer({ db: ":memory:", port: 0, webUiDir: false, ...serverOptions });
  });
  if (resetBetweenTests) beforeEach(() => server().reset());
  afterAll(async () => {
    await running?.close();
    running = undefined;
  });

  return {
    get url() {
      return server().url;
    },
    get token() {
      return server().token;
    },
    get registrationToken() {
      return server().registrationToken;
    },
    get requests() {
      return server().requests;
    },
    get faults() {
      return server().faults;
    },
    get snapshots() {
      return server().snapshots;
    },
    get clock() {
      return server().clock;
    },
    get jobs() {
      return server().jobs;
    },
    get fixtures() {
      return server().fixtures;
    },
    get server() {
      return server();
    },
    reset() {
      server().reset();
    },
  };
}
