// The one exponential backoff: HTTP retries and trace reconnects in the client, runner reconnects.

/** How long to wait before retry/reconnect number `attempt` (0-based). */
export interface BackoffOptions {
  /** Delay before the first retry. @default 250 */
  baseDelayMs?: number;
  /** Upper bound for any single delay. @default 8000 */
  maxDelayMs?: number;
  /**
   * `add-20%`: up to 20% more, so clients do not retry in step; `half-to-full`: between half and all of
   * the delay, so a fleet of runners spreads out after a server restart. @default "add-20%"
   */
  jitter?: "add-20%" | "half-to-full";
}

export const DEFAULT_BASE_DELAY_MS = 250;
export const DEFAULT_MAX_DELAY_MS = 8000;

/** `baseDelayMs · 2^attempt`, capped at `maxDelayMs`, jittered as `jitter` says with `random` in [0, 1). */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const base = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const max = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const exponential = Math.min(max, base * 2 ** Math.min(attempt, 30));
  if (options.jitter === "half-to-full") return Math.round(exponential / 2 + (random() * exponential) / 2);
  return Math.min(max, Math.round(exponential * (1 + 0.2 * random())));
}
