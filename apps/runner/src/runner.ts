// The runner loop: N slots claim builds while free, run them on the executor, finish them, and stop cleanly.
//
//   slot ──claim──▶ job? ──no──▶ wait claimIntervalMs ──▶ claim again
//                    └─yes─▶ executor.run(job) ──▶ finish (after the last trace byte is acknowledged)
//
// The server's cancel aborts the build's executor (which kills its process group). After a reconnect the
// connection resends what the server is missing; a build the server says this runner owns but the runner
// does not know (it restarted, or a claim's answer was lost) is finished as a system failure.

import { type RunnerConnection, RunnerConnectionError } from "@buildsim/client";
import type { JobPayload, WelcomeMessage } from "@buildsim/core";
import { type Clock, sleep, systemClock } from "@buildsim/core";
import type { AbortReason, ExecutionResult, Executor } from "./executor.js";

export interface RunnerOptions {
  connection: RunnerConnection;
  executor: Executor;
  /** Builds run at the same time. @default 1 */
  concurrent?: number;
  /** Pause before claiming again after a failed claim, or a `noJob` that was not long-polled. @default 1000 */
  claimIntervalMs?: number;
  /**
   * How long the server may hold a claim until a build is queued (long poll): a queued build starts at
   * once instead of at the next poll. 0 polls every `claimIntervalMs`. @default 30000
   */
  claimWaitMs?: number;
  /** How long `stop()` waits for builds to finish before closing the connection anyway. @default 30000 */
  shutdownTimeoutMs?: number;
  /** @default systemClock */
  clock?: Clock;
  /** Progress lines for people (claimed, finished, errors). @default no output */
  log?: (line: string) => void;
}

export interface StopOptions {
  /** Abort running builds (finished as `runner_system_failure`) instead of letting them complete. @default true */
  abortRunning?: boolean;
}

/** A runner; `run()` resolves after `stop()` once every build is finished and the connection is closed. */
export interface Runner {
  run(): Promise<void>;
  stop(options?: StopOptions): Promise<void>;
  readonly runningBuildIds: number[];
}

/** Creates the runner loop over a connection and an executor (see the file header). */
export function createRunner(options: RunnerOptions): Runner {
  const { connection, executor } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => {});
  const claimIntervalMs = options.claimIntervalMs ?? 1000;
  const claimWaitMs = options.claimWaitMs ?? 30_000;
  const running = new Map<number, AbortController>();
  const stopSignal = new AbortController();
  let abortReason: AbortReason | null = null;
  let finished: Promise<void> | null = null;
  /** Set when the connection is gone for good (token refused, protocol mismatch): run() rejects with it. */
  let fatalError: Error | null = null;
  /** Finishes and builds started outside a slot's loop (orphans, a claim answered after stop). */
  const detached = new Set<Promise<void>>();
  /** Claims still open when the runner stopped; a build they bring is run, but they are not waited for. */
  const lateClaims = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    detached.add(work);
    void work.finally(() => detached.delete(work));
  };

  const appendTrace = (buildId: number, data: Uint8Array | string) => {
    // The connection drops a build the server no longer holds; its executor is being aborted meanwhile.
    if (connection.traceProgress(buildId)) connection.appendTrace(buildId, data);
  };

  async function finish(buildId: number, result: ExecutionResult): Promise<void> {
    try {
      const status = await connection.finish(buildId, result);
      log(`build ${buildId} finished: ${status}`);
    } catch (error) {
      log(`build ${buildId} could not be finished: ${(error as Error).message}`);
    }
  }

  async function runBuild(job: JobPayload): Promise<void> {
    const abort = new AbortController();
    running.set(job.id, abort);
    if (abortReason) abort.abort(abortReason);
    log(`build ${job.id} (${job.name}) claimed`);
    let result: ExecutionResult;
    try {
      result = await executor.run({ job, signal: abort.signal, trace: (data) => appendTrace(job.id, data) });
    } catch (error) {
      appendTrace(job.id, `\nERROR: Job failed (system failure): ${(error as Error).message}\n`);
      result = { state: "failed", exitCode: null, failureReason: "runner_system_failure" };
    }
    running.delete(job.id);
    await finish(job.id, result);
  }

  /**
   * Builds the server says are ours but that no slot runs. One with no trace byte never reached us (the
   * claim's answer was lost): released, it goes back to the queue. One with bytes ran here before a
   * restart and cannot be resumed: it fails.
   */
  function finishOrphans(welcome: WelcomeMessage): void {
    for (const { buildId, traceBytes } of welcome.resume) {
      if (running.has(buildId) || connection.traceProgress(buildId)) continue;
      if (traceBytes === 0) {
        log(`build ${buildId} was claimed but never received: released back to the queue`);
        connection.release(buildId);
        continue;
      }
      connection.trackBuild(buildId, traceBytes);
      connection.appendTrace(
        buildId,
        "\nERROR: Job failed (system failure): the runner lost this build (it restarted mid-build)\n",
      );
      track(finish(buildId, { state: "failed", exitCode: null, failureReason: "runner_system_failure" }));
    }
  }

  async function slot(): Promise<void> {
    while (!stopSignal.signal.aborted) {
      let job: JobPayload | null = null;
      let longPolled = false;
      const claimedAt = clock.now();
      const claim = connection.claim(claimWaitMs > 0 ? { waitMs: claimWaitMs } : {});
      try {
        const answer = await unlessAborted(claim, stopSignal.signal);
        if (answer === "stopped") {
          // The server may still hand us a build for this claim: it is ours then, so run and finish it.
          // A long-polled claim may stay parked for a while: it does not hold up stop(), and closing the
          // connection abandons it (the server drops parked claims of a closed session).
          const late = claim.then((build) => (build ? runBuild(build) : undefined)).catch(() => {});
          lateClaims.add(late);
          void late.finally(() => lateClaims.delete(late));
          break;
        }
        job = answer;
        // A server that held the claim has already waited for us; one that answered at once has not.
        longPolled = claimWaitMs > 0 && clock.now() - claimedAt >= claimWaitMs / 2;
      } catch (error) {
        if (stopSignal.signal.aborted) break;
        if (error instanceof RunnerConnectionError && FATAL_CODES.has(error.code)) {
          fatalError ??= error;
          abortReason = "shutdown";
          for (const abort of running.values()) abort.abort(abortReason);
          stopSignal.abort();
          break;
        }
        log(`claim failed: ${(error as Error).message}`);
      }
      if (job) await runBuild(job);
      else if (!longPolled) await sleep(clock, claimIntervalMs, stopSignal.signal);
    }
  }

  async function drained(): Promise<void> {
    await finished;
    while (detached.size > 0) await Promise.all(detached);
  }

  async function run(): Promise<void> {
    const unsubscribe = [
      connection.onCancel((buildId, reason) => running.get(buildId)?.abort(reason)),
      connection.onWelcome(finishOrphans),
      connection.onError((error) => log(`connection: ${error.message}`)),
    ];
    try {
      // A stop before the first welcome (a server that is not there yet) ends the run at once; the
      // connection's own rejection then comes from close() and is nobody's error.
      const connecting = connection.connect();
      connecting.catch(() => {});
      if ((await unlessAborted(connecting, stopSignal.signal)) === "stopped") return;
      await Promise.all(Array.from({ length: Math.max(1, options.concurrent ?? 1) }, () => slot()));
      if (fatalError) throw fatalError;
    } finally {
      for (const off of unsubscribe) off();
    }
  }

  return {
    run() {
      finished ??= run();
      return finished;
    },
    async stop(stopOptions = {}) {
      if (stopOptions.abortRunning ?? true) {
        abortReason = "shutdown";
        for (const abort of running.values()) abort.abort(abortReason);
      }
      stopSignal.abort();
      let timer: unknown;
      const deadline = new Promise<void>((resolve) => {
        timer = clock.setTimeout(resolve, options.shutdownTimeoutMs ?? 30_000);
      });
      await Promise.race([drained().catch(() => {}), deadline]);
      clock.clearTimeout(timer);
      // Whatever still waits (a finish while the server is away, a parked claim) is given up on here.
      await connection.close();
      await Promise.all(lateClaims);
      await drained().catch(() => {});
    },
    get runningBuildIds() {
      return [...running.keys()];
    },
  };
}

/** Connection errors after which claiming again cannot succeed. */
const FATAL_CODES = new Set(["UNAUTHORIZED", "UNSUPPORTED_PROTOCOL", "PROTOCOL_ERROR", "CLOSED"]);

/** `promise`'s value, or "stopped" as soon as `signal` aborts (the listener is removed either way). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | "stopped"> {
  if (signal.aborted) return Promise.resolve("stopped");
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve("stopped");
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
