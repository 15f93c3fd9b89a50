// Every connected runner: who they are, long-poll claims parked until a build is queued, cancels routed
// from the event bus to the runner holding the build, and the watchdog that fails silent builds.

import type {
  Build,
  BuildStatus,
  CancelReason,
  ClaimMessage,
  HelloMessage,
  JobPayload,
  Runner,
} from "@buildsim/core";
import type { App } from "../app.js";
import { type ClaimBuild, createClaimBuild } from "../services/claim-build.js";
import { buildJobPayload } from "../services/job-payload.js";
import { watchScheduledBuilds } from "../services/scheduled-builds.js";
import { type BuildWatchdog, createBuildWatchdog } from "./build-watchdog.js";
import type { ResolvedRealtimeOptions } from "./realtime-options.js";
import type { RunnerSession } from "./runner-session.js";
import { createTraceBatcher } from "./trace-batcher.js";

interface ParkedClaim {
  session: RunnerSession;
  requestId: string;
  timer: unknown;
}

/** Creates the hub; `serverUrl` is the server's own base URL for the jobs' `CI_SERVER_URL`. */
export function createRunnerHub(app: App, options: ResolvedRealtimeOptions, serverUrl: () => string) {
  const sessions = new Map<number, Set<RunnerSession>>();
  const parked: ParkedClaim[] = [];
  const claimBuild: ClaimBuild = createClaimBuild(app.store, app.transitions);

  const sendCancel = (runnerId: number, buildId: number, reason: CancelReason) => {
    for (const s of sessions.get(runnerId) ?? []) s.send({ type: "cancel", buildId, reason });
  };
  const watchdog: BuildWatchdog = createBuildWatchdog(app, options, { cancel: sendCancel });

  /** Tries to give the oldest matching pending build to `session`. */
  const tryClaim = (session: RunnerSession, requestId: string): boolean => {
    // The runner row may have changed (tags, paused) since hello: read it fresh.
    const runner = session.runner && app.store.runners.get(session.runner.id);
    if (!runner) return false;
    const build = claimBuild(runner, app.now());
    if (!build) return false;
    session.claimed(requestId, build);
    return true;
  };

  /** Parks a claim that found nothing until a build is queued or its `waitMs` passes; else noJob now. */
  const parkOrDecline = (session: RunnerSession, m: ClaimMessage) => {
    if (session.socket.readyState !== session.socket.OPEN) return;
    const waitMs = Math.min(m.waitMs ?? 0, options.maxClaimWaitMs);
    if (waitMs <= 0) {
      session.send({ type: "noJob", requestId: m.requestId });
      return;
    }
    const claim: ParkedClaim = { session, requestId: m.requestId, timer: undefined };
    claim.timer = options.timers.setTimeout(() => {
      unpark(claim);
      session.send({ type: "noJob", requestId: m.requestId });
    }, waitMs);
    parked.push(claim);
  };

  // Claims that arrive in the same turn of the event loop share one transaction (one commit instead of
  // one per claim); each still gets the oldest build left for it, in arrival order.
  const incoming: Array<{ session: RunnerSession; m: ClaimMessage }> = [];
  const drainClaims = () => {
    const batch = incoming.splice(0);
    let results: Array<Build | null>;
    try {
      results = app.store.transaction(() =>
        batch.map(({ session }) => {
          if (session.socket.readyState !== session.socket.OPEN) return null;
          const runner = session.runner && app.store.runners.get(session.runner.id);
          return runner ? claimBuild(runner, app.now()) : null;
        }),
      );
    } catch (e) {
      app.log(`claims failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      for (const { session } of batch)
        session.send({ type: "error", code: "INTERNAL", message: "claim failed on the server" });
      return;
    }
    batch.forEach(({ session, m }, i) => {
      const build = results[i];
      if (build) session.claimed(m.requestId, build);
      else parkOrDecline(session, m);
    });
  };

  const unpark = (claim: ParkedClaim) => {
    const i = parked.indexOf(claim);
    if (i >= 0) parked.splice(i, 1);
    options.timers.clearTimeout(claim.timer);
  };

  const onCancel = ({ buildId, runnerId }: { buildId: number; runnerId: number | null }) => {
    if (runnerId !== null) sendCancel(runnerId, buildId, "canceled");
  };
  const onQueued = () => {
    // One queued build serves at most one parked claim; the first runner that matches gets it.
    for (const claim of [...parked]) {
      if (claim.session.socket.readyState !== claim.session.socket.OPEN) {
        unpark(claim);
        continue;
      }
      if (tryClaim(claim.session, claim.requestId)) {
        unpark(claim);
        return;
      }
    }
  };
  app.events.on("runnerMustCancel", onCancel);
  app.events.on("buildQueued", onQueued);
  // Delayed jobs leave `scheduled` when their countdown ends; the sweep also catches countdowns that
  // ended while no timer knew of them (after a restart).
  const scheduled = watchScheduledBuilds({ ...app, timers: options.timers });
  const sweepTimer = options.timers.setInterval(() => {
    watchdog.sweep();
    scheduled.sweep();
    if (parked.length > 0) onQueued();
  }, options.sweepIntervalMs);
  (sweepTimer as { unref?: () => void }).unref?.();

  const hub = {
    app,
    options,
    watchdog,
    traces: createTraceBatcher(app),
    log: (line: string) => app.log(line),
    /** The runner a hello's token names (updating its metadata), or undefined. */
    authenticate(m: HelloMessage): Runner | undefined {
      const runner = app.store.runners.getByToken(m.token);
      if (!runner) return undefined;
      const updated: Runner = {
        ...runner,
        contactedAt: app.now(),
        version: m.version ?? runner.version,
        name: m.name ?? runner.name,
        // A runner started without tags keeps the ones it was registered with.
        tagList: m.tags && m.tags.length > 0 ? [...new Set(m.tags)] : runner.tagList,
      };
      app.store.transaction(() => app.store.runners.save(updated));
      return updated;
    },
    /** Builds still running on `runnerId`, with the trace length held: welcome's `resume`. */
    runningOn(runnerId: number): Array<{ buildId: number; traceBytes: number; status: BuildStatus }> {
      return app.store.builds.runningOn(runnerId).map((r) => ({ ...r, status: "running" as const }));
    },
    payloadFor(build: Build, runner: Runner): JobPayload {
      return buildJobPayload(build, runner, { store: app.store, serverUrl: serverUrl() });
    },
    attach(session: RunnerSession): void {
      const id = session.runner!.id;
      let set = sessions.get(id);
      if (!set) {
        set = new Set();
        sessions.set(id, set);
      }
      set.add(session);
    },
    detach(session: RunnerSession): void {
      if (session.runner) sessions.get(session.runner.id)?.delete(session);
      for (const claim of parked.filter((c) => c.session === session)) unpark(claim);
    },
    /** Answers a claim now, or parks it until a build is queued or `waitMs` passes. */
    claim(session: RunnerSession, m: ClaimMessage): void {
      incoming.push({ session, m });
      if (incoming.length === 1) setImmediate(drainClaims);
    },
    /** Sessions of `runnerId` (tests and the admin endpoints). */
    sessionsOf(runnerId: number): RunnerSession[] {
      return [...(sessions.get(runnerId) ?? [])];
    },
    /** Stops timers and listeners and closes every runner socket with `code`. */
    close(code: number): void {
      options.timers.clearInterval(sweepTimer);
      app.events.off("runnerMustCancel", onCancel);
      app.events.off("buildQueued", onQueued);
      scheduled.close();
      for (const claim of [...parked]) unpark(claim);
      for (const set of sessions.values()) for (const s of set) s.close(code, "server shutting down");
    },
  };
  return hub;
}

export type RunnerHub = ReturnType<typeof createRunnerHub>;
