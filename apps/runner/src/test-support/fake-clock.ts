// A clock whose time jumps straight to the next timer once the code under test is idle.

import type { Clock } from "@buildsim/core";

interface Timer {
  id: number;
  dueMs: number;
  callback: () => void;
}

/**
 * An auto-advancing fake clock: after the current macrotask's promises settle, virtual time jumps to the
 * earliest timer and fires it. Code that waits only on this clock runs instantly and in a fixed order.
 */
export class FakeClock implements Clock {
  nowMs = 0;
  private timers: Timer[] = [];
  private nextId = 1;
  private scheduled = false;

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const timer = { id: this.nextId++, dueMs: this.nowMs + Math.max(0, delayMs), callback };
    this.timers.push(timer);
    this.schedule();
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.timers.sort((a, b) => a.dueMs - b.dueMs || a.id - b.id);
      const next = this.timers.shift();
      if (!next) return;
      this.nowMs = next.dueMs;
      next.callback();
      if (this.timers.length > 0) this.schedule();
    });
  }
}
