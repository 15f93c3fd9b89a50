// Options of the WebSocket layer (runners and trace watchers), with their defaults.

/** Timers the layer uses, injectable so tests drive time instead of sleeping. */
export interface RealtimeTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** How the runner protocol and the watchers behave. */
export interface RealtimeOptions {
  /** Heartbeat period announced to runners in `welcome`. @default 5000 */
  heartbeatIntervalMs?: number;
  /**
   * A running build whose runner has not mentioned it (heartbeat, trace) for this long fails with
   * `runner_system_failure`. Also the grace period running builds get after a server restart.
   * @default 30000
   */
  heartbeatTimeoutMs?: number;
  /** How often running builds are checked for silence and timeouts. @default 1000 */
  sweepIntervalMs?: number;
  /** After a timeout `cancel`, how long the runner gets to finish before the build is failed. @default 5000 */
  timeoutGraceMs?: number;
  /** Upper bound of a claim's `waitMs` (long poll). @default 60000 */
  maxClaimWaitMs?: number;
  /** A watcher with more than this many bytes unsent is closed with WATCHER_TOO_SLOW. @default 8 MiB */
  maxBufferedBytes?: number;
  /** Largest trace slice in one `chunk` to a watcher (the backlog is sent in pieces). @default 1 MiB */
  maxWatcherChunkBytes?: number;
  /** A watcher catching up that has not taken a byte for this long is closed with WATCHER_TOO_SLOW. @default 5000 */
  watcherStallMs?: number;
  /** How long a WATCHER_TOO_SLOW close may take before the socket is destroyed. @default 30000 */
  watcherCloseTimeoutMs?: number;
  /** A runner socket that has not said `hello` after this long is closed with 4401. @default 10000 */
  helloTimeoutMs?: number;
  /** Largest decoded trace chunk a runner may send. @default 1 MiB */
  maxTraceChunkBytes?: number;
  /** Timers. @default the global ones */
  timers?: RealtimeTimers;
}

export type ResolvedRealtimeOptions = Required<RealtimeOptions>;

/** Fills in the defaults. */
export function resolveRealtimeOptions(o: RealtimeOptions = {}): ResolvedRealtimeOptions {
  return {
    heartbeatIntervalMs: o.heartbeatIntervalMs ?? 5000,
    heartbeatTimeoutMs: o.heartbeatTimeoutMs ?? 30_000,
    sweepIntervalMs: o.sweepIntervalMs ?? 1000,
    timeoutGraceMs: o.timeoutGraceMs ?? 5000,
    maxClaimWaitMs: o.maxClaimWaitMs ?? 60_000,
    maxBufferedBytes: o.maxBufferedBytes ?? 8 * 1024 * 1024,
    maxTraceChunkBytes: o.maxTraceChunkBytes ?? 1024 * 1024,
    maxWatcherChunkBytes: o.maxWatcherChunkBytes ?? 1024 * 1024,
    watcherStallMs: o.watcherStallMs ?? 5000,
    watcherCloseTimeoutMs: o.watcherCloseTimeoutMs ?? 30_000,
    helloTimeoutMs: o.helloTimeoutMs ?? 10_000,
    timers: o.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
    },
  };
}
