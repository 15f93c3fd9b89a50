// The newest ids of each project build list (all statuses, or some), kept with the list's total and
// brought up to date by replaying the change log's list moves: a new build puts its id on top, a status
// change takes it out of or into a list. A list page then needs no query after a write; without this,
// every retry or new pipeline listed each page of the lists it touched again (a LIMIT/OFFSET walk and a
// count per page). Lists of one commit (`sha`) are not kept. Windows are bounded in number and length.

import type { BuildStatus } from "@buildsim/core";
import type { ChangeLog, ListMove } from "../store/change-log.js";

/** Which builds a list holds: one project's, in `statuses` (null: every status). */
export interface ListedBuilds {
  projectId: number;
  statuses: readonly BuildStatus[] | null;
}

/** Where a window is filled from (the store's list queries). */
export interface ListSource {
  count(q: ListedBuilds): number;
  listIds(q: ListedBuilds & { limit: number; offset: number }): number[];
}

/** How many ids a window is filled with, and holds at most (the first pages a dashboard reads). */
export interface WindowSizes {
  /** @default 100 (pages 1–5 of 20, page 1 of 100) */
  firstFill: number;
  /** Deeper pages are queried. @default 1000 */
  maxIds: number;
}
const SIZES: WindowSizes = { firstFill: 100, maxIds: 1000 };
/** Windows kept at most (the least recently used goes first): ≤ 256 × 1,000 ids × 8 bytes by default. */
const MAX_WINDOWS = 256;

interface Window {
  q: ListedBuilds;
  /** The change log's global generation and version the window is current at. */
  global: number;
  version: number;
  total: number;
  /** The list's newest ids, newest first: a prefix of it, the whole list when as long as `total`. */
  ids: number[];
}

/** Whether the window holds the whole list (its total is exact, its ids a prefix). */
const isComplete = (w: Window): boolean => w.ids.length === w.total;

/** Kept windows, by project and statuses. */
export class ListWindows {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly changes: ChangeLog,
    private readonly source: ListSource,
    private readonly sizes: WindowSizes = SIZES,
  ) {}

  /** The list's total, and its ids of `[offset, offset + limit)`, newest first. */
  list(q: ListedBuilds): { total: number; ids: (offset: number, limit: number) => number[] } {
    // Inside a transaction the rows hold writes whose moves come at its commit: a window filled from them
    // would count those twice. Such a read is answered from the rows alone.
    if (this.changes.inTransaction)
      return {
        total: this.source.count(q),
        ids: (offset, limit) => this.source.listIds({ ...q, limit, offset }),
      };
    const w = this.current(q);
    return {
      total: w.total,
      ids: (offset, limit) => {
        const end = offset + limit;
        if (end <= w.ids.length || isComplete(w)) return w.ids.slice(offset, end);
        if (end > this.sizes.maxIds) return this.source.listIds({ ...q, limit, offset });
        this.fill(w, Math.min(this.sizes.maxIds, Math.max(end, 2 * w.ids.length)));
        return w.ids.slice(offset, end);
      },
    };
  }

  /** The window of `q`, replayed up to the change log's version (listed again when it cannot be). */
  private current(q: ListedBuilds): Window {
    const key = q.statuses ? `${q.projectId}:${q.statuses.join(",")}` : `${q.projectId}`;
    let w = this.windows.get(key);
    if (w) {
      // Most recently used last: the map's first entry is the one to drop.
      this.windows.delete(key);
      this.windows.set(key, w);
      if (w.version === this.changes.version && w.global === this.changes.global) return w;
      if (w.global === this.changes.global && this.replay(w)) return w;
    } else {
      w = { q, global: 0, version: 0, total: 0, ids: [] };
      this.windows.set(key, w);
      if (this.windows.size > MAX_WINDOWS) this.windows.delete(this.windows.keys().next().value!);
    }
    // The first pages come from one fill; a deeper one asks for more when it comes.
    this.fill(w, Math.max(this.sizes.firstFill, w.ids.length));
    return w;
  }

  /** Lists the window again, `want` ids long, and its total. */
  private fill(w: Window, want: number): void {
    w.global = this.changes.global;
    w.version = this.changes.version;
    w.total = this.source.count(w.q);
    w.ids = this.source.listIds({ ...w.q, limit: want, offset: 0 });
  }

  /** Applies the moves since the window's version; false when they are gone or do not fit the window. */
  private replay(w: Window): boolean {
    const moves = this.changes.listMovesSince(w.version);
    if (!moves) return false;
    for (const m of moves) if (m.projectId === w.q.projectId && !this.apply(w, m)) return false;
    w.version = this.changes.version;
    return true;
  }

  /** One move on the window; false when the window cannot say what it did (it is then listed again). */
  private apply(w: Window, m: ListMove): boolean {
    const wasIn = m.from !== null && holds(w.q, m.from);
    const isIn = holds(w.q, m.to);
    if (wasIn === isIn) return true;
    const ids = w.ids;
    const at = positionOf(ids, m.id);
    const present = at < ids.length && ids[at] === m.id;
    // Within the window: above its last id, or anywhere when it holds the whole list.
    const within = isComplete(w) || (ids.length > 0 && m.id > ids[ids.length - 1]!);
    if (isIn) {
      if (present) return false;
      w.total++;
      if (within) ids.splice(at, 0, m.id);
      if (ids.length > this.sizes.maxIds) ids.length = this.sizes.maxIds;
      return true;
    }
    if (within && !present) return false;
    w.total--;
    if (present) ids.splice(at, 1);
    return true;
  }
}

/** Whether a list of `q`'s statuses holds a build in `status`. */
function holds(q: ListedBuilds, status: string): boolean {
  return q.statuses === null || (q.statuses as readonly string[]).includes(status);
}

/** Where `id` is or would go in `ids` (newest first, that is descending). */
function positionOf(ids: readonly number[], id: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! > id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
