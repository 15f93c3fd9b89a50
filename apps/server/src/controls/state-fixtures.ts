// State as data (issue #15): export the server's state as a seed document, and load a fixture (the same
// seed format) at run time in place of the whole state. A fixture is checked and loaded into a scratch
// store first, so a bad one changes nothing; then it replaces the state in one transaction, as a restore.

import { ensureAdminToken } from "../fixtures/ensure-admin-token.js";
import { exportSeed } from "../fixtures/export-seed.js";
import { loadSeed } from "../fixtures/load-seed.js";
import { parseSeed } from "../fixtures/parse-seed.js";
import { ControlInputError } from "../http/control-input-error.js";
import { createStore, type Store } from "../store/create-store.js";

/** What loading keeps working: the handle's admin token and the runner registration token. */
export interface StateFixturesHost {
  store: Store;
  now: () => string;
  generateToken: () => string;
  /** The admin token the handle hands out: the loaded state gives it to an admin. */
  adminToken: string;
  /** The settings key and value of the runner registration token, carried into the loaded state. */
  registrationToken: { key: string; value: string };
  /** Runs the replacement (runner links dropped, job plays stopped). */
  restoring(restore: () => void): void;
}

/** Export and load of whole states. */
export class StateFixtures {
  constructor(private readonly host: StateFixturesHost) {}

  /** The state as a seed document (users with their tokens, projects, commits, pipelines, jobs with traces and artifacts, runners). */
  export(): Record<string, unknown> {
    return exportSeed(this.host.store);
  }

  /**
   * Replaces the whole state with `fixture` (seed YAML or JSON text, or the document itself). A fixture
   * with problems is refused, listing them, and nothing changes.
   */
  load(fixture: string | Record<string, unknown>): void {
    const text = typeof fixture === "string" ? fixture : JSON.stringify(fixture);
    if (typeof text !== "string") throw new ControlInputError("fixture must be seed text or a seed document");
    const parsed = parseSeed(text, this.host.generateToken);
    if (!parsed.ok)
      throw new ControlInputError(
        `fixture has ${parsed.problems.length} problem(s): ${parsed.problems.join("; ")}`,
      );
    const scratch = createStore({ memory: true });
    try {
      const now = this.host.now();
      try {
        loadSeed(scratch, parsed.seed, now);
      } catch (e) {
        throw new ControlInputError(
          `fixture cannot be loaded: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      ensureAdminToken(scratch, now, this.host.generateToken, this.host.adminToken);
      const { key, value } = this.host.registrationToken;
      scratch.transaction(() => scratch.settings.set(key, value));
      const snapshot = scratch.snapshot();
      this.host.restoring(() => this.host.store.restore(snapshot));
    } finally {
      scratch.close();
    }
  }
}
