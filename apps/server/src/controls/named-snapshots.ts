// Named states for the contract-testing controls: `snapshot("two-pipelines")` copies the store,
// `restore("two-pipelines")` puts it back (in one transaction, artifact files included), any number of
// times, until it is dropped or the server closes.

import { ControlInputError } from "../http/control-input-error.js";
import type { Store } from "../store/create-store.js";
import type { StoreSnapshot } from "../store/table-snapshot.js";

/** A snapshot as listed. */
export interface SnapshotInfo {
  name: string;
  /** ISO 8601, when it was taken (the server's clock). */
  takenAt: string;
}

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** The named snapshots of one store. */
export class NamedSnapshots {
  private readonly taken = new Map<string, { info: SnapshotInfo; snapshot: StoreSnapshot }>();

  constructor(
    private readonly store: Store,
    /** Runs around a restore (runner links are dropped so runners see the restored state). */
    private readonly restoring: (restore: () => void) => void,
    /** The server's time, epoch ms. */
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Copies the store as `name` (replacing an earlier snapshot of that name). */
  take(name: unknown): SnapshotInfo {
    if (typeof name !== "string" || !NAME.test(name))
      throw new ControlInputError("name is invalid (1 to 64 letters, digits, `_`, `.` or `-`)");
    const snapshot = this.store.snapshot();
    const earlier = this.taken.get(name);
    if (earlier) this.store.dropSnapshot(earlier.snapshot);
    const info = { name, takenAt: new Date(this.nowMs()).toISOString() };
    this.taken.set(name, { info, snapshot });
    return info;
  }

  /** Puts the store back as snapshot `name` had it; false when there is no such snapshot. */
  restore(name: string): boolean {
    const found = this.taken.get(name);
    if (!found) return false;
    this.restoring(() => this.store.restore(found.snapshot));
    return true;
  }

  /** The snapshots, oldest first. */
  list(): SnapshotInfo[] {
    return [...this.taken.values()].map((t) => ({ ...t.info }));
  }

  /** Forgets snapshot `name`; false when there is none. */
  drop(name: string): boolean {
    const found = this.taken.get(name);
    if (!found) return false;
    this.store.dropSnapshot(found.snapshot);
    this.taken.delete(name);
    return true;
  }

  /** Forgets every snapshot. */
  clear(): void {
    for (const name of [...this.taken.keys()]) this.drop(name);
  }
}
