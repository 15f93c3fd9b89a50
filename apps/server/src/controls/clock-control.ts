// The clock control (issue #15): freeze, set and advance the server's time. Everything time-based follows
// it: timestamps and durations, artifact expiry, delayed jobs' countdowns, heartbeat and job timeouts,
// `Date` headers. Real time is the default and what a reset goes back to.

import { type ControllableClock, parseDurationS } from "@buildsim/core";
import { ControlInputError } from "../http/control-input-error.js";
import type { Store } from "../store/create-store.js";

/** The server's time as the controls report it. */
export interface ClockInfo {
  /** ISO 8601, UTC, with milliseconds. */
  now: string;
  /** True while time stands still. */
  frozen: boolean;
}

/** A moment: a `Date`, epoch milliseconds, or ISO 8601 text with a time zone. */
export type ClockTime = Date | number | string;

/** A duration: milliseconds, or GitLab's duration text (`90`, `3 mins`, `1h 30m`; a bare number is seconds). */
export type ClockDuration = number | string;

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Reads `value` as a moment, or throws ControlInputError naming `field`. */
function timeOf(value: unknown, field: string): number {
  if (value instanceof Date && Number.isFinite(value.getTime())) return value.getTime();
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && ISO_WITH_ZONE.test(value) && Number.isFinite(Date.parse(value)))
    return Date.parse(value);
  throw new ControlInputError(
    `${field} must be an ISO 8601 time with a time zone (2026-01-01T12:00:00Z) or epoch milliseconds`,
  );
}

/** Reads `value` as milliseconds, or throws ControlInputError naming `field`. */
function durationOf(value: unknown, field: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === "string") {
    const seconds = parseDurationS(value);
    if (seconds !== null) return seconds * 1000;
  }
  throw new ControlInputError(
    `${field} must be milliseconds (a number, 0 or more) or a duration such as "3 mins" or "1h 30m"`,
  );
}

/** The server's clock, steered. Every method answers the clock as it then stands. */
export class ClockControl {
  constructor(
    private readonly clock: ControllableClock,
    private readonly store: Store,
  ) {}

  /** The server's time now. */
  info(): ClockInfo {
    return { now: new Date(this.clock.now()).toISOString(), frozen: this.clock.frozen };
  }

  /** Stops time, at `at` when given (moving there first), else where it stands. */
  freeze(at?: ClockTime): ClockInfo {
    const target = at === undefined ? undefined : this.allowed(timeOf(at, "at"));
    this.clock.freeze(target);
    return this.info();
  }

  /** Lets time run again from where it stands. */
  unfreeze(): ClockInfo {
    this.clock.unfreeze();
    return this.info();
  }

  /** Moves to `at` (frozen or running, as it was); forward, delayed jobs and timeouts due meanwhile fire. */
  set(at: ClockTime): ClockInfo {
    this.clock.set(this.allowed(timeOf(at, "at")));
    return this.info();
  }

  /** Moves forward by `by` (milliseconds or a duration text). */
  advance(by: ClockDuration): ClockInfo {
    this.clock.advance(durationOf(by, "by"));
    return this.info();
  }

  /** Back to real time, running (what a reset does). */
  useRealTime(): ClockInfo {
    this.clock.useRealTime();
    return this.info();
  }

  /**
   * `ms`, unless it lies before the start of a running job: its duration would be negative, which no
   * GitLab shows. Refused, naming the job.
   */
  private allowed(ms: number): number {
    const last = this.store.builds.lastStartedRunning();
    if (last && ms < Date.parse(last.startedAt))
      throw new ControlInputError(
        `at is before the start of running job ${last.id} (started_at ${last.startedAt}); finish or cancel it first`,
      );
    return ms;
  }
}
