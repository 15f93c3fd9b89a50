// A clock that moves only when the test says so: timers fire in due order inside `advance`.

import type { Clock } from "@buildsim/core";

interface Timer {
  id: number;
  dueMs: number;
  callback: () => void;
}

/** A fake clock for tests that assert *when* something happens (backoff delays, heartbeats). */
export class ManualClock implements Clock {
  nowMs = 0;
  private timers: Timer[] = [];
  private nextId = 1;

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const timer = { id: this.nextId++, dueMs: this.nowMs + Math.max(0, delayMs), callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  /** Delays from now of the timers still waiting, soonest first. */
  get pendingDelaysMs(): number[] {
    return this.timers.map((t) => t.dueMs - this.nowMs).sort((a, b) => a - b);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const until = this.nowMs + ms;
    for (;;) {
      this.timers.sort((a, b) => a.dueMs - b.dueMs || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.dueMs > until) break;
      this.timers.shift();
      this.nowMs = next.dueMs;
      next.callback();
    }
    this.nowMs = until;
  }
}
