// Build entities rendered once per change, not once per read: each build's JSON kept as bytes with the
// generations it was rendered at (its row, its pipeline's row, its runner, everything else). Numbers that move with
// time alone (`duration`, `queued_duration` of an unfinished job) are left out of the bytes and written
// at read time; what changes at a known moment (artifacts expiring, a runner going offline) bounds how
// long the bytes stay good. Bounded in bytes: the oldest entries go first.

import { type Build, buildDuration, buildQueuedDuration } from "@buildsim/core";
import type { ChangeLog } from "../store/change-log.js";

/** What a job's time-dependent numbers are computed from. */
type Timing = Pick<Build, "startedAt" | "finishedAt" | "queuedAt" | "status">;

/** The generations an entity was rendered at. */
export interface EntityGens {
  readonly global: number;
  readonly buildGen: number;
  readonly pipelineGen: number;
  /** What the entity shows of its runner (none when the build has no runner). */
  readonly runnerGen: number;
  /** The runner's last contact, or null when no later contact can change the entity (shown online). */
  readonly contactGen: number | null;
}

/** One build's rendered entity. */
export interface CachedEntity extends EntityGens {
  readonly id: number;
  readonly projectId: number;
  readonly pipelineId: number;
  readonly runnerId: number | null;
  /** The bytes are exact until this moment (ms since epoch) even without a write. */
  readonly validUntilMs: number;
  /** The whole entity, or (timed) the bytes before `duration`'s value… */
  readonly head: Buffer;
  /** … and those after `queued_duration`'s value; null when nothing depends on the time. */
  readonly tail: Buffer | null;
  readonly timing: Timing | null;
}

/** The keys whose values the timed form leaves out, as `presentJobV4` orders them. */
const TIMED_KEYS = '"duration":null,"queued_duration":null';
const BETWEEN = Buffer.from(',"queued_duration":');
const DURATION_KEY = Buffer.from('"duration":');

/** Whether `build`'s `duration` or `queued_duration` grows while nothing is written. */
export function hasTimedNumbers(build: Timing): boolean {
  return (
    (build.startedAt !== null && build.finishedAt === null) ||
    (build.queuedAt !== null && build.startedAt === null && build.status === "pending")
  );
}

/** Rendered entities of one kind (v3 builds or v4 jobs), valid against `changes`. */
export class EntityCache {
  private readonly entries = new Map<number, CachedEntity>();
  private bytes = 0;

  /**
   * @param maxBytes past this many bytes of JSON the oldest entities are dropped.
   * @param showsDurations the entity has `duration`/`queued_duration` (v4 jobs), written at read time.
   */
  constructor(
    private readonly changes: ChangeLog,
    readonly maxBytes: number,
    private readonly showsDurations: boolean,
  ) {}

  /** Whether `e` still shows what the store holds at `nowMs`. */
  isCurrent(e: CachedEntity, nowMs: number): boolean {
    return (
      e.global === this.changes.global &&
      e.buildGen === this.changes.build(e.id) &&
      e.pipelineGen === this.changes.pipelineRow(e.pipelineId) &&
      nowMs < e.validUntilMs &&
      (e.runnerId === null ||
        (e.runnerGen === this.changes.runner(e.runnerId) &&
          (e.contactGen === null || e.contactGen === this.changes.runnerContact(e.runnerId))))
    );
  }

  /** The current entity of build `id`, or undefined when it must be rendered (again). */
  get(id: number, nowMs: number): CachedEntity | undefined {
    const e = this.entries.get(id);
    return e && this.isCurrent(e, nowMs) ? e : undefined;
  }

  /**
   * Keeps `json` (the entity rendered from `build` read at `gens`) for `build`. A timed entity must
   * have been rendered with `duration` and `queued_duration` null.
   */
  put(build: Build, gens: EntityGens, json: string, validUntilMs: number): CachedEntity {
    let head: Buffer;
    let tail: Buffer | null = null;
    let timing: Timing | null = null;
    if (this.showsDurations && hasTimedNumbers(build)) {
      const at = json.indexOf(TIMED_KEYS);
      if (at < 0) throw new Error(`entity of build ${build.id} has no duration keys`);
      head = Buffer.from(json.slice(0, at));
      tail = Buffer.from(json.slice(at + TIMED_KEYS.length));
      const { startedAt, finishedAt, queuedAt, status } = build;
      timing = { startedAt, finishedAt, queuedAt, status };
    } else head = Buffer.from(json);
    const entity: CachedEntity = {
      id: build.id,
      projectId: build.projectId,
      pipelineId: build.pipelineId,
      runnerId: build.runnerId,
      ...gens,
      validUntilMs,
      head,
      tail,
      timing,
    };
    this.remember(entity);
    return entity;
  }

  /** The generations a render starting now reads at (depending on the runner's contact until told not to). */
  gensOf(build: Pick<Build, "id" | "pipelineId" | "runnerId">): EntityGens {
    const runnerId = build.runnerId;
    return {
      global: this.changes.global,
      buildGen: this.changes.build(build.id),
      pipelineGen: this.changes.pipelineRow(build.pipelineId),
      runnerGen: runnerId === null ? 0 : this.changes.runner(runnerId),
      contactGen: runnerId === null ? null : this.changes.runnerContact(runnerId),
    };
  }

  /** Bytes held now. */
  get size(): number {
    return this.bytes;
  }

  private remember(e: CachedEntity): void {
    const old = this.entries.get(e.id);
    if (old) {
      this.entries.delete(e.id);
      this.bytes -= sizeOf(old);
    }
    this.entries.set(e.id, e);
    this.bytes += sizeOf(e);
    // Map order is insertion order: the first entries are the oldest.
    for (const [id, first] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(id);
      this.bytes -= sizeOf(first);
    }
  }
}

/** Bytes an entity holds (JSON plus a fixed overhead for the record). */
export const sizeOf = (e: CachedEntity): number => e.head.byteLength + (e.tail?.byteLength ?? 0) + 160;

/** Appends `e`'s bytes at `nowIso` to `out` (the time-dependent numbers computed now). */
export function pushEntityBytes(out: Buffer[], e: CachedEntity, nowIso: string): void {
  out.push(e.head);
  if (!e.tail || !e.timing) return;
  const t = e.timing as Build;
  out.push(DURATION_KEY);
  out.push(Buffer.from(JSON.stringify(buildDuration(t, nowIso))));
  out.push(BETWEEN);
  out.push(Buffer.from(JSON.stringify(buildQueuedDuration(t, nowIso))));
  out.push(e.tail);
}
