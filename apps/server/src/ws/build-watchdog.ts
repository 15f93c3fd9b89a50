// Fails running builds nobody is running any more, and times out builds past their `timeout`:
//
//   silence:  a running build not mentioned by its runner (claim, heartbeat, trace) for
//             heartbeatTimeoutMs → drop(runner_system_failure). After a server restart every running
//             build starts with the full period, so its runner can reconnect and resume it.
//   lost job: a silent build its runner never confirmed (no heartbeat naming it, no trace byte since the
//             claim: the `job` answer was lost) → requeue, back to pending for any runner; so does a
//             `release` from a runner that reconnected without it. With trace bytes, it did run: drop.
//   timeout:  started_at + timeout_s passed → `cancel {reason: timeout}` to the runner; when it finishes,
//             or timeoutGraceMs later, → drop(stuck_or_timeout_failure).
//
// Time comes from the app's injected clock; `sweep()` is what the interval timer calls, and what tests
// call after moving a fake clock.

import type { CancelReason } from "@buildsim/core";
import type { App } from "../app.js";
import type { ResolvedRealtimeOptions } from "./realtime-options.js";

/** What the watchdog tells the runners. */
export interface WatchdogPeers {
  /** Sends `cancel` for `buildId` to whichever sessions of `runnerId` are connected. */
  cancel(runnerId: number, buildId: number, reason: CancelReason): void;
}

/** Tracks when each running build was last vouched for, and sweeps. */
export function createBuildWatchdog(app: App, options: ResolvedRealtimeOptions, peers: WatchdogPeers) {
  const nowMs = () => Date.parse(app.now());
  const bootMs = nowMs();
  const lastSeen = new Map<number, number>();
  /** Builds whose runner showed it has them (a heartbeat naming them, a trace byte). */
  const confirmedIds = new Set<number>();
  const timedOutAt = new Map<number, number>();

  /** Drops `buildId` if it is still running (the machine ignores it otherwise). */
  function fail(buildId: number, reason: "runner_system_failure" | "stuck_or_timeout_failure"): void {
    app.store.transaction(() => {
      const build = app.store.builds.get(buildId);
      if (build?.status === "running") app.transitions.fire(build, { type: "drop", at: app.now(), reason });
    });
    forget(buildId);
  }

  /** Back to the queue if it never produced a byte, else failed: the runner does not have it. */
  function requeueOrFail(buildId: number): void {
    app.store.transaction(() => {
      const build = app.store.builds.get(buildId);
      if (build?.status !== "running") return;
      const neverRan = (app.store.traces.length(buildId) ?? 0) === 0;
      app.transitions.fire(
        build,
        neverRan
          ? { type: "requeue", at: app.now() }
          : { type: "drop", at: app.now(), reason: "runner_system_failure" },
      );
    });
    forget(buildId);
  }

  function forget(buildId: number): void {
    lastSeen.delete(buildId);
    timedOutAt.delete(buildId);
    confirmedIds.delete(buildId);
  }

  return {
    /** The runner showed `buildId` is alive. */
    seen(buildId: number): void {
      lastSeen.set(buildId, nowMs());
    },
    /** True once the build was told to stop for its timeout: its finish fails it. */
    isTimedOut(buildId: number): boolean {
      return timedOutAt.has(buildId);
    },
    /** The runner showed it holds `buildId` (heartbeat, trace): from now on silence fails it. */
    confirmed(buildId: number): void {
      lastSeen.set(buildId, nowMs());
      confirmedIds.add(buildId);
    },
    /** The runner says it does not hold `buildId`. */
    release: requeueOrFail,
    /** The build ended; forget it. */
    forget,
    fail,
    /** Checks every running build once. */
    sweep(): void {
      const now = nowMs();
      for (const row of app.store.builds.listRunning()) {
        const seenAt = lastSeen.get(row.id) ?? bootMs;
        if (now - seenAt > options.heartbeatTimeoutMs) {
          if (confirmedIds.has(row.id)) fail(row.id, "runner_system_failure");
          else requeueOrFail(row.id);
          // A runner that is connected but silent may still hold it: tell it to stop.
          if (row.runnerId !== null) peers.cancel(row.runnerId, row.id, "canceled");
          continue;
        }
        const cancelAt = timedOutAt.get(row.id);
        if (cancelAt !== undefined) {
          if (now - cancelAt >= options.timeoutGraceMs) fail(row.id, "stuck_or_timeout_failure");
          continue;
        }
        const started = row.startedAt === null ? Number.NaN : Date.parse(row.startedAt);
        if (Number.isFinite(started) && now >= started + row.timeoutS * 1000) {
          timedOutAt.set(row.id, now);
          if (row.runnerId !== null) peers.cancel(row.runnerId, row.id, "timeout");
        }
      }
    },
  };
}

export type BuildWatchdog = ReturnType<typeof createBuildWatchdog>;
