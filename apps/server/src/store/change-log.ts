// What each committed write changed, as generation numbers read caches compare: per build, per pipeline
// (its row, and which builds belong to its job list), per project and build status (which builds a
// list of that status holds), per runner (what entities show of it, and its last contact apart), and a
// global one for anything else. A write the repositories did not
// describe (any other table) moves the global generation, so an unknown write can never leave a cache
// stale: it only costs a full refill.

/**
 * What one commit changed, as the other servers of a cluster apply it to their caches: the records it
 * touched, or `global` when it wrote something the repositories did not describe.
 */
export type CommittedChange =
  | { global: true }
  | {
      builds: number[];
      pipelineRows: number[];
      members: number[];
      lists: Array<[number, string]>;
      runners: number[];
      contacts: number[];
    };

/**
 * A listed build (not a trigger or external job) entering a project's lists (`from` null: inserted) or
 * moving between two of its status lists, at change-log version `seq`: what a kept window of a list's
 * newest ids replays instead of listing again.
 */
export interface ListMove {
  seq: number;
  projectId: number;
  id: number;
  from: string | null;
  to: string;
}

/** Builds tracked one by one before the log starts over with a global generation. */
const MAX_TRACKED = 200_000;
/** List moves kept for replay; a window older than the oldest is listed again. */
const MAX_MOVES = 4096;

/** One increasing sequence for every generation: a number once handed out never comes back. */
export class ChangeLog {
  private seq = 1;
  /** Moves on any write the repositories did not describe. Starts at 1, so 0 never matches. */
  global = 1;
  private readonly builds = new Map<number, number>();
  private readonly pipelineRows = new Map<number, number>();
  private readonly members = new Map<number, number>();
  /** projectId → status → generation; "*" moves with every status. */
  private readonly lists = new Map<number, Map<string, number>>();
  private readonly runners = new Map<number, number>();
  private readonly contacts = new Map<number, number>();
  /** Recent list moves, by `seq`; every one after `movesLostAt` is here. */
  private moves: ListMove[] = [];
  private movesLostAt = 1;

  // The open transaction's changes, applied on commit, dropped on rollback.
  private pendingBuilds: number[] = [];
  private pendingRows: number[] = [];
  private pendingMembers: number[] = [];
  private pendingLists: Array<[number, string]> = [];
  private pendingRunners: number[] = [];
  private pendingContacts: number[] = [];
  private pendingMoves: Array<Omit<ListMove, "seq">> = [];
  private described = 0;
  private open = false;
  private readonly committedListeners: Array<(change: CommittedChange) => void> = [];
  /** How many changes of other servers were applied (their writes move no local counter). */
  remoteApplied = 0;

  /** Hears what each commit changed (the cluster relay); not a clock jump, not another server's change. */
  onCommitted(listener: (change: CommittedChange) => void): () => void {
    this.committedListeners.push(listener);
    return () => {
      const i = this.committedListeners.indexOf(listener);
      if (i >= 0) this.committedListeners.splice(i, 1);
    };
  }

  /** Another server committed `change`: what this one's caches hold of it is stale. */
  applyRemote(change: CommittedChange): void {
    this.remoteApplied++;
    // The open transaction's own pending changes (an async store) are left as they are.
    if ("global" in change) this.resetAll();
    else {
      this.record(
        change.builds,
        change.pipelineRows,
        change.members,
        change.lists,
        change.runners,
        change.contacts,
      );
      // Another server's change names lists, not builds: windows of lists listed before it are redone.
      if (change.lists.length > 0) this.movesLostAt = this.seq;
    }
  }

  /**
   * Moves with every change this log records, local or remote, global or not: while it stands still,
   * every generation read from this log reads the same.
   */
  get version(): number {
    return this.seq;
  }

  /** Generation of build `id`'s row. */
  build(id: number): number {
    return this.builds.get(id) ?? 0;
  }
  /** Generation of pipeline `id`'s row (what a job entity shows of it). */
  pipelineRow(id: number): number {
    return this.pipelineRows.get(id) ?? 0;
  }
  /** Generation of the set of builds in pipeline `id` (and their statuses and `retried` flags). */
  pipelineMembers(id: number): number {
    return this.members.get(id) ?? 0;
  }
  /** Generation of the builds of `projectId` in `status` ("*" for any status). */
  list(projectId: number, status: string): number {
    return this.lists.get(projectId)?.get(status) ?? 0;
  }

  /** Generation of what build entities show of runner `id` (its fields, whether it exists). */
  runner(id: number): number {
    return this.runners.get(id) ?? 0;
  }
  /** Generation of runner `id`'s last contact moving forward (it may turn a shown runner online). */
  runnerContact(id: number): number {
    return this.contacts.get(id) ?? 0;
  }

  /**
   * A build row changed (`rows` SQLite rows written). `move` when the lists holding it changed: its
   * status before (null: it was just inserted) and after, and whether project lists show it at all.
   */
  buildChanged(
    rows: number,
    build: { id: number; projectId: number; pipelineId: number },
    move?: { from: string | null; to: string; listed: boolean },
  ): void {
    this.described += rows;
    this.pendingBuilds.push(build.id);
    this.pendingMembers.push(build.pipelineId);
    if (move) {
      if (move.from !== null) this.pendingLists.push([build.projectId, move.from]);
      this.pendingLists.push([build.projectId, move.to]);
      if (move.listed)
        this.pendingMoves.push({ projectId: build.projectId, id: build.id, from: move.from, to: move.to });
    }
    if (!this.open) this.apply();
  }

  /**
   * The list moves committed after version `since`, oldest first; null when some of them are no longer
   * kept (or came from another server, which names no builds): a window that old is listed again.
   */
  listMovesSince(since: number): readonly ListMove[] | null {
    if (since < this.movesLostAt) return null;
    const moves = this.moves;
    // The first move past `since` (moves are in `seq` order).
    let lo = 0;
    let hi = moves.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (moves[mid]!.seq <= since) lo = mid + 1;
      else hi = mid;
    }
    return lo === moves.length ? [] : moves.slice(lo);
  }
  /**
   * Only which builds pipeline `pipelineId`'s job list shows changed (a build became `retried`, which no
   * entity shows): its job-list pages are listed again, no entity is rendered again.
   */
  membersChanged(rows: number, pipelineId: number): void {
    this.described += rows;
    this.pendingMembers.push(pipelineId);
    if (!this.open) this.apply();
  }
  /** Only build `id`'s row changed (its trace length), not which lists hold it. */
  buildRowChanged(rows: number, id: number): void {
    this.described += rows;
    this.pendingBuilds.push(id);
    if (!this.open) this.apply();
  }
  /** A pipeline row changed. */
  pipelineChanged(rows: number, id: number): void {
    this.described += rows;
    this.pendingRows.push(id);
    if (!this.open) this.apply();
  }
  /** Runner `id` changed what entities show of it: a shown field, created, deleted, contact unset or moved back. */
  runnerChanged(rows: number, id: number): void {
    this.described += rows;
    this.pendingRunners.push(id);
    if (!this.open) this.apply();
  }
  /** Runner `id`'s last contact moved forward (a heartbeat); nothing else entities show changed. */
  runnerContacted(rows: number, id: number): void {
    this.described += rows;
    this.pendingContacts.push(id);
    if (!this.open) this.apply();
  }
  /** Rows written that change nothing a cache holds (trace chunks). */
  uncached(rows: number): void {
    this.described += rows;
  }

  /** Whether a transaction is open: its writes are in the rows, not yet in this log. */
  get inTransaction(): boolean {
    return this.open;
  }

  /** A transaction starts. */
  begin(): void {
    this.open = true;
    this.described = 0;
  }
  /** The transaction committed having written `rows` rows in all: apply, and go global on the unknown. */
  commit(rows: number): void {
    this.open = false;
    if (rows > this.described) {
      this.goGlobal();
      this.tell({ global: true });
    } else this.apply();
  }
  /** Everything may read differently now (the clock jumped): every cached render is stale. */
  everythingChanged(): void {
    this.goGlobal();
  }
  /** The transaction rolled back: nothing changed. */
  rollback(): void {
    this.open = false;
    this.drop();
  }

  private apply(): void {
    const touched =
      this.pendingBuilds.length +
      this.pendingRows.length +
      this.pendingMembers.length +
      this.pendingRunners.length +
      this.pendingContacts.length;
    if (this.committedListeners.length > 0 && touched > 0)
      this.tell({
        builds: [...new Set(this.pendingBuilds)],
        pipelineRows: [...new Set(this.pendingRows)],
        members: [...new Set(this.pendingMembers)],
        lists: this.pendingLists,
        runners: [...new Set(this.pendingRunners)],
        contacts: [...new Set(this.pendingContacts)],
      });
    this.record(
      this.pendingBuilds,
      this.pendingRows,
      this.pendingMembers,
      this.pendingLists,
      this.pendingRunners,
      this.pendingContacts,
    );
    // Unless recording started everything over (a new global generation: every window is listed again).
    if (this.pendingMoves.length > 0 && this.global !== this.seq) this.keepMoves(this.pendingMoves);
    this.drop();
  }

  /** Keeps the moves just recorded under the current generation, dropping the oldest past the bound. */
  private keepMoves(moves: ReadonlyArray<Omit<ListMove, "seq">>): void {
    const seq = this.seq;
    for (const m of moves) this.moves.push({ ...m, seq });
    if (this.moves.length > 2 * MAX_MOVES) {
      const dropped = this.moves.length - MAX_MOVES;
      // Windows synced before the last dropped move cannot replay from here.
      this.movesLostAt = this.moves[dropped - 1]!.seq;
      this.moves = this.moves.slice(dropped);
    }
  }

  /** Moves the generations of the records named, all to one new generation. */
  private record(
    builds: readonly number[],
    rows: readonly number[],
    members: readonly number[],
    lists: ReadonlyArray<readonly [number, string]>,
    runners: readonly number[],
    contacts: readonly number[],
  ): void {
    // Past this many tracked records, one full refill is cheaper than the maps' memory.
    if (this.builds.size > MAX_TRACKED) {
      this.resetAll();
      return;
    }
    const g = ++this.seq;
    for (const id of builds) this.builds.set(id, g);
    for (const id of rows) this.pipelineRows.set(id, g);
    for (const id of members) this.members.set(id, g);
    for (const id of runners) this.runners.set(id, g);
    for (const id of contacts) this.contacts.set(id, g);
    for (const [projectId, status] of lists) {
      let byStatus = this.lists.get(projectId);
      if (!byStatus) {
        byStatus = new Map();
        this.lists.set(projectId, byStatus);
      }
      byStatus.set(status, g);
      byStatus.set("*", g);
    }
  }

  private tell(change: CommittedChange): void {
    for (const listener of this.committedListeners) listener(change);
  }

  private goGlobal(): void {
    this.resetAll();
    this.drop();
  }

  /** Everything may differ: one new global generation, the per-record ones start over. */
  private resetAll(): void {
    this.global = ++this.seq;
    // Every cache entry holds the old global generation: the per-record ones can start over.
    this.builds.clear();
    this.pipelineRows.clear();
    this.members.clear();
    this.lists.clear();
    this.runners.clear();
    this.contacts.clear();
    this.moves = [];
    this.movesLostAt = this.seq;
  }

  private drop(): void {
    this.pendingBuilds = [];
    this.pendingRows = [];
    this.pendingMembers = [];
    this.pendingLists = [];
    this.pendingRunners = [];
    this.pendingContacts = [];
    this.pendingMoves = [];
    this.described = 0;
  }
}
