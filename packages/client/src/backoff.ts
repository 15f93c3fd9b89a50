// Exponential backoff delays and an abortable sleep, shared by HTTP retries and trace reconnects.

import { ClientError } from "./client-error.js";

/** How long to wait before retry/reconnect number `attempt` (0-based). */
export interface BackoffOptions {
  /** Delay before the first retry. @default 250 */
  baseDelayMs?: number;
  /** Upper bound for any single delay, including a server's `Retry-After`. @default 8000 */
  maxDelayMs?: number;
}

export const DEFAULT_BASE_DELAY_MS = 250;
export const DEFAULT_MAX_DELAY_MS = 8000;

/** `baseDelayMs · 2^attempt`, capped at `maxDelayMs`, with up to 20% jitter so clients do not retry in step. */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const base = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const max = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const exponential = Math.min(max, base * 2 ** attempt);
  return Math.min(max, Math.round(exponential * (1 + 0.2 * random())));
}

/** A sleep the caller can replace (tests record delays instead of waiting). */
export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Waits `ms`, or rejects with an `aborted` ClientError as soon as `signal` aborts. */
export const sleep: SleepFn = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** The error every aborted operation ends with; the signal's reason is kept as `cause`. */
export function abortedError(signal: AbortSignal): ClientError {
  return new ClientError({ code: "aborted", message: "The operation was aborted", cause: signal.reason });
}

/** `Retry-After` as milliseconds (seconds or an HTTP date), or null when absent or unparseable. */
export function parseRetryAfterMs(value: string | null, nowMs = Date.now()): number | null {
  if (value === null || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}
