// Fails running builds nobody is running any more, and times out builds past their `timeout`:
//
//   silence:  a running build not mentioned by its runner (claim, heartbeat, trace) for
//             heartbeatTimeoutMs → drop(runner_system_failure). After a server restart every running
//             build starts with the full period, so its runner can reconnect and resume it.
//   lost job: a silent build its runner never confirmed (no heartbeat naming it, no trace byte since the
//             claim: the `job` answer was lost) → requeue, back to pending for any runner; so does a
//             `release` from a runner that reconnected without it. With trace bytes, it did run: drop.
//   timeout:  started_at + timeout_s passed → `cancel {reason: timeout}` to the runner; when it finishes,
//             or timeoutGraceMs after that deadline (or after the server's start, if later), →
//             drop(stuck_or_timeout_failure). A build no runner holds (played by the server) fails on the
//             pass that sees its deadline.
//
// Time comes from the injected clock. The runner hub's interval timer runs passes in bounded batches
// (`sweepSome`, a few milliseconds each, the event loop free in between) so failing thousands of builds
// after a restart never stalls requests; tests call `sweep()`, one whole pass, after moving a fake clock.
// Telling runners is the caller's: it passes `peers`.

import type { CancelReason } from "@buildsim/core";
import type { RunningBuild } from "../store/builds-repo.js";
import type { Store } from "../store/create-store.js";
import type { BuildTransitions } from "./build-transitions.js";

/** What the watchdog reads, decides with, and how long it waits. */
export interface BuildWatchdogDeps {
  store: Store;
  transitions: BuildTransitions;
  /** Now, as an ISO timestamp. */
  now: () => string;
  /** Silence after which a running build is failed (or requeued when it never ran). */
  heartbeatTimeoutMs: number;
  /** How long a build told to stop for its timeout may take to finish before it is failed. */
  timeoutGraceMs: number;
  /**
   * Told what this server's runners vouch for, so the other servers of a cluster (whichever of them
   * sweeps) know it too. @default none (one server)
   */
  share?: WatchdogShare;
}

/** Where a watchdog reports what its server saw, for the rest of the cluster. */
export interface WatchdogShare {
  /** A runner vouched for `buildId` (`confirmed`: it showed it holds it). */
  vouched(buildId: number, confirmed: boolean): void;
  /** This server plays `buildId` itself (a scripted job). */
  serverRun(buildId: number): void;
}

/** What the other servers' runners vouched for since the last report (see {@link WatchdogShare}). */
export interface VouchedElsewhere {
  seen: readonly number[];
  confirmed: readonly number[];
  serverRun: readonly number[];
}

/**
 * Running builds read per query of a pass. The read is not sliced: each row is a lookup in the builds
 * table, and 500 rows took 6–15 ms on 120,000 builds (more than a whole 5 ms slice), 100 rows under 1 ms.
 */
export const SWEEP_BATCH_ROWS = 100;

/** What the watchdog tells the runners. */
export interface WatchdogPeers {
  /** Sends `cancel` for `buildId` to whichever sessions of `runnerId` are connected. */
  cancel(runnerId: number, buildId: number, reason: CancelReason): void;
}

/** Tracks when each running build was last vouched for, and sweeps. */
export function createBuildWatchdog(d: BuildWatchdogDeps, peers: WatchdogPeers) {
  const { store, transitions } = d;
  // Asked on every trace message (`confirmed`): parsed again only when the clock's text changed.
  let nowText = "";
  let nowParsed = Number.NaN;
  const nowMs = () => {
    const text = d.now();
    if (text !== nowText) {
      nowText = text;
      nowParsed = Date.parse(text);
    }
    return nowParsed;
  };
  /**
   * When this server started watching: its start, or the pass after a gap in its passes (it did not lead
   * the cluster meanwhile, or its event loop stalled). A running build nobody vouched for to this server
   * gets the whole silence period from then, or from its own start if later: a build another server
   * handed out a moment ago is not silent, and a new leader does not fail every build it never heard of.
   */
  let watchingSinceMs = nowMs();
  /** Real time (not the controllable clock) of the last pass, to see gaps in the passes. */
  let lastPassRealMs: number | undefined;
  const lastSeen = new Map<number, number>();
  /** Builds whose runner showed it has them (a heartbeat naming them, a trace byte). */
  const confirmedIds = new Set<number>();
  const timedOutAt = new Map<number, number>();
  /** Builds the server plays itself (scripted jobs): no runner will vouch for them, only timeouts apply. */
  const serverRun = new Set<number>();
  /** Where the current pass stands: running builds with a greater id are still to check. */
  let cursor = 0;
  /**
   * The rows of the current batch not checked yet. They are kept across slices: a slice that fails one
   * build can spend its whole budget on it, and reading 500 rows again for each such slice cost more
   * than the failures (a restart with 20,000 running builds). A row may be a few turns old when checked,
   * so {@link isCurrent} reads it again before anything is done to it.
   */
  let batch: RunningBuild[] = [];
  let batchAt = 0;
  /** The batch was the pass's last: once it is checked, the pass is over. */
  let lastBatch = false;

  /** Drops `buildId` if it is still running (the machine ignores it otherwise). */
  function fail(buildId: number, reason: "runner_system_failure" | "stuck_or_timeout_failure"): void {
    store.transaction(() => {
      const build = store.builds.get(buildId);
      if (build?.status === "running") transitions.fire(build, { type: "drop", at: d.now(), reason });
    });
    forget(buildId);
  }

  /** Back to the queue if it never produced a byte, else failed: the runner does not have it. */
  function requeueOrFail(buildId: number): void {
    store.transaction(() => {
      const build = store.builds.get(buildId);
      if (build?.status !== "running") return;
      const neverRan = (store.traces.length(buildId) ?? 0) === 0;
      transitions.fire(
        build,
        neverRan
          ? { type: "requeue", at: d.now() }
          : { type: "drop", at: d.now(), reason: "runner_system_failure" },
      );
    });
    forget(buildId);
  }

  function forget(buildId: number): void {
    lastSeen.delete(buildId);
    timedOutAt.delete(buildId);
    serverRun.delete(buildId);
    confirmedIds.delete(buildId);
  }

  /** The row still describes the build's current run (not ended, nor requeued and claimed again since). */
  function isCurrent(row: RunningBuild): boolean {
    const build = store.builds.get(row.id);
    return (
      build?.status === "running" && build.startedAt === row.startedAt && build.runnerId === row.runnerId
    );
  }

  /** Silence, timeout and grace checks of one running build. */
  function check(row: RunningBuild, now: number): void {
    const startedMs = row.startedAt === null ? Number.NaN : Date.parse(row.startedAt);
    const seenAt =
      lastSeen.get(row.id) ?? Math.max(watchingSinceMs, Number.isFinite(startedMs) ? startedMs : 0);
    if (now - seenAt > d.heartbeatTimeoutMs && !serverRun.has(row.id)) {
      if (!isCurrent(row)) return;
      if (confirmedIds.has(row.id)) fail(row.id, "runner_system_failure");
      else requeueOrFail(row.id);
      // A runner that is connected but silent may still hold it: tell it to stop.
      if (row.runnerId !== null) peers.cancel(row.runnerId, row.id, "canceled");
      return;
    }
    const cancelAt = timedOutAt.get(row.id);
    if (cancelAt !== undefined) {
      if (now - cancelAt >= d.timeoutGraceMs && isCurrent(row)) fail(row.id, "stuck_or_timeout_failure");
      return;
    }
    const deadline = startedMs + row.timeoutS * 1000;
    if (!Number.isFinite(startedMs) || now < deadline || !isCurrent(row)) return;
    // No runner holds it (a job the server plays): nobody to wait for, it fails on the pass that sees
    // the timeout. Else the runner gets the grace period from the deadline, not from this pass, so a
    // clock move past deadline + grace fails it at once instead of on the move after; from the server's
    // start for a deadline that passed before it (a seed's or a restart's long-running job), so its
    // runner still gets the whole grace period to report.
    const graceFrom = Math.max(deadline, watchingSinceMs);
    if (row.runnerId === null || serverRun.has(row.id) || now - graceFrom >= d.timeoutGraceMs) {
      if (row.runnerId !== null) peers.cancel(row.runnerId, row.id, "timeout");
      fail(row.id, "stuck_or_timeout_failure");
      return;
    }
    timedOutAt.set(row.id, graceFrom);
    peers.cancel(row.runnerId, row.id, "timeout");
  }

  /**
   * Checks running builds from where the pass stands for about `budgetMs` (at least one build), then
   * stops; true when the pass reached the last running build (the next call starts a new one).
   */
  function sweepSome(budgetMs: number): boolean {
    const start = performance.now();
    const now = nowMs();
    for (;;) {
      if (batchAt >= batch.length) {
        if (lastBatch) {
          restartPass();
          return true;
        }
        batch = store.builds.listRunningAfter(cursor, SWEEP_BATCH_ROWS);
        batchAt = 0;
        lastBatch = batch.length < SWEEP_BATCH_ROWS;
        continue;
      }
      const row = batch[batchAt++]!;
      cursor = row.id;
      check(row, now);
      if (performance.now() - start >= budgetMs) return false;
    }
  }

  function restartPass(): void {
    cursor = 0;
    batch = [];
    batchAt = 0;
    lastBatch = false;
  }

  return {
    /** The runner showed `buildId` is alive. */
    seen(buildId: number): void {
      lastSeen.set(buildId, nowMs());
      d.share?.vouched(buildId, false);
    },
    /** Runners connected to other servers vouched for these builds: as if they had told this server. */
    heardElsewhere(v: VouchedElsewhere): void {
      const now = nowMs();
      for (const id of v.seen) lastSeen.set(id, now);
      for (const id of v.confirmed) {
        lastSeen.set(id, now);
        confirmedIds.add(id);
      }
      for (const id of v.serverRun) serverRun.add(id);
    },
    /** Another server told `buildId`'s runner to stop for its timeout: its finish here fails it too. */
    timedOutElsewhere(buildId: number): void {
      if (!timedOutAt.has(buildId)) timedOutAt.set(buildId, nowMs());
    },
    /** True once the build was told to stop for its timeout: its finish fails it. */
    isTimedOut(buildId: number): boolean {
      return timedOutAt.has(buildId);
    },
    /** The runner showed it holds `buildId` (heartbeat, trace): from now on silence fails it. */
    confirmed(buildId: number): void {
      lastSeen.set(buildId, nowMs());
      confirmedIds.add(buildId);
      d.share?.vouched(buildId, true);
    },
    /** The server itself runs `buildId` (a scripted job): silence never fails it, its timeout does. */
    runByServer(buildId: number): void {
      serverRun.add(buildId);
      d.share?.serverRun(buildId);
    },
    /** The runner says it does not hold `buildId`. */
    release: requeueOrFail,
    /** The build ended; forget it. */
    forget,
    fail,
    /** Checks every running build once, at once. */
    sweep(): void {
      restartPass();
      sweepSome(Number.POSITIVE_INFINITY);
    },
    /** The interval timer's step (`sweepSome` of the pass), noting gaps between its calls. */
    sweepSome(budgetMs: number): boolean {
      const real = performance.now();
      if (lastPassRealMs !== undefined && real - lastPassRealMs > d.heartbeatTimeoutMs / 2)
        watchingSinceMs = nowMs();
      lastPassRealMs = real;
      return sweepSome(budgetMs);
    },
  };
}

export type BuildWatchdog = ReturnType<typeof createBuildWatchdog>;
