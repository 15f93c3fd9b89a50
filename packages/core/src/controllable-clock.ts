// A clock a test can stop and move (issue #15's clock control): real time plus an offset by default, or
// frozen at one instant. Timers set on it fire on its time: moving it forward fires the ones that come
// due, each at its own due time (the clock steps there first), so what they stamp is exact.

import { type Clock, systemClock } from "./clock.js";

interface PendingTimer {
  dueMs: number;
  seq: number;
  callback: () => void;
}

/** A move of the clock: from where to where (epoch ms). */
export interface ClockMove {
  fromMs: number;
  toMs: number;
}

/** The clock's state, as the controls report it. */
export interface ClockState {
  /** Epoch ms. */
  nowMs: number;
  frozen: boolean;
}

/** Real time (from `base`) until told otherwise; freeze, set and advance it. */
export class ControllableClock implements Clock {
  private frozenAtMs: number | null = null;
  private offsetMs = 0;
  private readonly pending = new Map<number, PendingTimer>();
  private seq = 0;
  private baseTimer: unknown;
  private armedForMs: number | null = null;
  private readonly listeners = new Set<(move: ClockMove) => void>();

  constructor(private readonly base: Clock = systemClock) {}

  now(): number {
    return this.frozenAtMs ?? this.base.now() + this.offsetMs;
  }

  get frozen(): boolean {
    return this.frozenAtMs !== null;
  }

  /** True while it is the system's time exactly (on the system clock, never frozen or moved). */
  get real(): boolean {
    return this.base === systemClock && this.frozenAtMs === null && this.offsetMs === 0;
  }

  state(): ClockState {
    return { nowMs: this.now(), frozen: this.frozen };
  }

  /** Stops time at `atMs` (default: now); moving there fires what comes due on the way. */
  freeze(atMs: number = this.now()): void {
    const from = this.now();
    this.frozenAtMs = from;
    this.disarm();
    this.moveTo(atMs, from);
  }

  /** Lets time run again from where it stands. */
  unfreeze(): void {
    if (this.frozenAtMs === null) return;
    this.offsetMs = this.frozenAtMs - this.base.now();
    this.frozenAtMs = null;
    this.arm();
  }

  /** Jumps to `atMs` (frozen or running, as it was). Forward, the timers due on the way fire in order. */
  set(atMs: number): void {
    this.moveTo(atMs, this.now());
  }

  /** Moves forward by `ms` (≥ 0). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance needs a duration of 0 ms or more, got ${ms}`);
    const from = this.now();
    this.moveTo(from + ms, from);
  }

  /** Back to real time (no offset, not frozen); pending timers keep their due times. */
  useRealTime(): void {
    const from = this.now();
    this.frozenAtMs = null;
    this.offsetMs = 0;
    this.afterMove(from);
  }

  /** Called after every freeze, set, advance and return to real time (not as time merely passes). */
  onMove(listener: (move: ClockMove) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const handle = ++this.seq;
    this.pending.set(handle, { dueMs: this.now() + Math.max(0, delayMs), seq: handle, callback });
    this.arm();
    return handle;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === "number" && this.pending.delete(handle)) this.arm();
  }

  /** Drops every pending timer and the base timer behind them (the owner is shutting down). */
  dispose(): void {
    this.pending.clear();
    this.disarm();
    this.listeners.clear();
  }

  /** Steps through the timers due up to `targetMs`, each at its due time, then stops at `targetMs`. */
  private moveTo(targetMs: number, fromMs: number): void {
    if (!Number.isFinite(targetMs)) throw new RangeError(`not a time: ${targetMs}`);
    this.disarm();
    for (let next = this.nextDue(targetMs); next; next = this.nextDue(targetMs)) {
      this.place(Math.max(next.dueMs, this.now()));
      this.pending.delete(next.seq);
      next.callback();
    }
    this.place(targetMs);
    this.afterMove(fromMs);
  }

  private afterMove(fromMs: number): void {
    this.arm();
    const move = { fromMs, toMs: this.now() };
    for (const listener of [...this.listeners]) listener(move);
  }

  /** Puts the clock at `ms` without firing anything. */
  private place(ms: number): void {
    if (this.frozenAtMs !== null) this.frozenAtMs = ms;
    else this.offsetMs = ms - this.base.now();
  }

  /** The earliest pending timer due at or before `limitMs` (ties: the first set). */
  private nextDue(limitMs: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.pending.values())
      if (
        t.dueMs <= limitMs &&
        (!best || t.dueMs < best.dueMs || (t.dueMs === best.dueMs && t.seq < best.seq))
      )
        best = t;
    return best;
  }

  /** While time runs, one base timer waits for the earliest pending timer. */
  private arm(): void {
    if (this.frozenAtMs !== null) {
      this.disarm();
      return;
    }
    let earliest: number | null = null;
    for (const t of this.pending.values()) if (earliest === null || t.dueMs < earliest) earliest = t.dueMs;
    if (earliest === this.armedForMs) return;
    this.disarm();
    if (earliest === null) return;
    this.armedForMs = earliest;
    this.baseTimer = this.base.setTimeout(
      () => {
        this.armedForMs = null;
        this.fireDue();
      },
      Math.max(0, earliest - this.now()),
    );
  }

  private disarm(): void {
    if (this.armedForMs === null) return;
    this.base.clearTimeout(this.baseTimer);
    this.armedForMs = null;
  }

  /** Real time reached a timer: fire every timer due now, in order. */
  private fireDue(): void {
    const now = this.now();
    for (let next = this.nextDue(now); next; next = this.nextDue(now)) {
      this.pending.delete(next.seq);
      next.callback();
    }
    this.arm();
  }
}
