// State as data (issue #15): export the server's state as a seed document, and load a fixture (the same
// seed format) at run time, in place of the whole state or merged into it. A fixture to replace the state
// is checked and loaded into a scratch store first, so a bad one changes nothing; then it replaces the
// state in one transaction, as a restore. A fixture to merge is read against the state (a job may name
// the state's pipeline) and written in one transaction: refused whole, or applied whole.

import { ensureAdminToken } from "../fixtures/ensure-admin-token.js";
import { exportSeed } from "../fixtures/export-seed.js";
import { loadSeed } from "../fixtures/load-seed.js";
import { mergeSeed } from "../fixtures/merge-seed.js";
import { parseSeed, parseSeedData } from "../fixtures/parse-seed.js";
import { readMergeSeed } from "../fixtures/read-merge-seed.js";
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

/** How a fixture meets the state: `replace` it whole (the default), or `merge` into it by id. */
export type FixtureLoadMode = "replace" | "merge";

/** `load`'s options. */
export interface FixtureLoadOptions {
  /** @default "replace" */
  mode?: FixtureLoadMode;
}

const MODES: readonly string[] = ["replace", "merge"];

/** Reads a load mode given as text (the admin API's `mode` parameter), or throws naming the field. */
export function parseFixtureLoadMode(value: unknown, field = "mode"): FixtureLoadMode {
  if (value === undefined) return "replace";
  if (typeof value === "string" && MODES.includes(value)) return value as FixtureLoadMode;
  throw new ControlInputError(`${field} does not have a valid value (replace or merge)`);
}

/** Export and load of whole states. */
export class StateFixtures {
  constructor(private readonly host: StateFixturesHost) {}

  /** The state as a seed document (users with their tokens, projects, commits, pipelines, jobs with traces and artifacts, runners). */
  export(): Record<string, unknown> {
    return exportSeed(this.host.store);
  }

  /**
   * Loads `fixture` (seed YAML or JSON text, or the document itself): in place of the whole state, or with
   * `mode: "merge"` into it, each record added or overwriting the one with its id (commits are only
   * added; what the fixture does not name stays). A fixture with problems, or one that contradicts the
   * state (a job whose pipeline is in neither), is refused, listing them, and nothing changes.
   */
  load(fixture: string | Record<string, unknown>, options: FixtureLoadOptions = {}): void {
    const mode = parseFixtureLoadMode(options.mode, "options.mode");
    const text = typeof fixture === "string" ? fixture : JSON.stringify(fixture);
    if (typeof text !== "string") throw new ControlInputError("fixture must be seed text or a seed document");
    if (mode === "merge") this.merge(text);
    else this.replace(text);
  }

  private merge(text: string): void {
    const data = parseSeedData(text);
    const read = data.ok ? readMergeSeed(this.host.store, data.root, this.host.generateToken) : data;
    if (!read.ok)
      throw new ControlInputError(
        `fixture has ${read.problems.length} problem(s): ${read.problems.join("; ")}`,
      );
    try {
      mergeSeed(this.host.store, read.seed, this.host.now());
    } catch (e) {
      throw new ControlInputError(`fixture cannot be merged: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private replace(text: string): void {
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
