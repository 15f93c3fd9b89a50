// An abortable sleep and Retry-After parsing for HTTP retries and trace reconnects; the backoff delays
// themselves are core's backoffDelayMs.

import { ClientError } from "./client-error.js";

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
