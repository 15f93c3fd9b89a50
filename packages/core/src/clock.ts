// The one clock: injectable timers, so the runner's job timeouts and `sleep` and the runner connection's
// reconnect backoff and heartbeats run on a fake clock in tests.

/** Timers the runner, its executors and the runner connection use; the system clock by default. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers hold at most 2^31-1 ms (~24.8 days); longer delays would fire after 1 ms instead. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/** The real clock. Delays past ~24.8 days (a 30-day job timeout) are capped rather than firing at once. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, Math.min(delayMs, MAX_TIMER_DELAY_MS)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Resolves after `delayMs` on `clock`, or as soon as `signal` aborts (never rejects). */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clock.clearTimeout(handle);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const handle = clock.setTimeout(done, delayMs);
    signal?.addEventListener("abort", done, { once: true });
  });
}
