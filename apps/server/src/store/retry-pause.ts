// The pause before a transaction that lost a race with another server's runs again (PostgreSQL's
// serialization failures). Run again at once, it met the same open transaction of the other server and
// lost again: on a loaded machine a transaction stays open for tens of milliseconds (each statement a
// round trip), so three servers' claims and finishes used up all their attempts in a row, and the claim
// or finish failed. A random pause growing with the attempt (capped) lets the other one commit first.

/** A flag nothing ever wakes: waiting on it is a plain sleep of this thread. */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** The most a single pause lasts. */
const MAX_PAUSE_MS = 25;

/**
 * Blocks this thread for a random time below min(2^attempt, 25) ms. The store is synchronous (the
 * transaction's caller is waiting), and only a lost race pays it.
 */
export function pauseBeforeRetry(attempt: number, random: () => number = Math.random): void {
  Atomics.wait(sleeper, 0, 0, random() * Math.min(2 ** attempt, MAX_PAUSE_MS));
}
