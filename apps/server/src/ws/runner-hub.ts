// Every connected runner: who they are, long-poll claims parked until a build is queued, cancels routed
// from the event bus to the runner holding the build, and the watchdog that fails silent builds. In a
// cluster the watchdog's passes run on the leader only, and its cancels reach runners on any server.

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
import type { DeletedPipeline } from "../events/server-events.js";
import { stopExpiredEnvironments } from "../services/auto-stop-environments.js";
import { type BuildWatchdog, createBuildWatchdog } from "../services/build-watchdog.js";
import { type ClaimBuild, claimForRunner, createClaimBuild } from "../services/claim-build.js";
import { createClaimQueue } from "../services/claim-queue.js";
import type { ClusterLink, ClusterRelayTargets } from "../services/cluster-relay.js";
import { createFinishBuild } from "../services/finish-build.js";
import { buildJobPayload } from "../services/job-payload.js";
import { watchScheduledBuilds } from "../services/scheduled-builds.js";
import type { LinkFaults } from "./link-faults.js";
import type { ResolvedRealtimeOptions } from "./realtime-options.js";
import type { RunnerSession, SessionHub } from "./runner-session.js";
import { createTraceBatcher } from "./trace-batcher.js";

/**
 * What the hub needs of the wiring: claims, finishing and the watchdog (store, transitions, clock),
 * the event bus, trace batching, the scheduled builds' countdowns and the environments' auto stop.
 */
export type RunnerHubDeps = Pick<
  App,
  "store" | "transitions" | "actions" | "traces" | "events" | "now" | "clock" | "log"
>;

/** Longest slice of a watchdog pass before requests get the event loop back. */
const SWEEP_SLICE_MS = 5;

interface ParkedClaim {
  session: RunnerSession;
  requestId: string;
  timer: unknown;
}

/** Creates the hub; `serverUrl` is the server's own base URL for the jobs' `CI_SERVER_URL`. */
export function createRunnerHub(
  app: RunnerHubDeps,
  options: ResolvedRealtimeOptions,
  serverUrl: () => string,
  faults?: LinkFaults,
  /** The other servers of a cluster. @default none: this server leads, and all runners are its own */
  cluster?: ClusterLink,
) {
  const sessions = new Map<number, Set<RunnerSession>>();
  const parked: ParkedClaim[] = [];
  const claimBuild: ClaimBuild = createClaimBuild(app.store, app.transitions);

  const sendCancel = (runnerId: number, buildId: number, reason: CancelReason) => {
    for (const s of sessions.get(runnerId) ?? []) s.send({ type: "cancel", buildId, reason });
  };
  const leads = () => cluster?.isLeader() ?? true;
  const watchdog: BuildWatchdog = createBuildWatchdog(
    {
      store: app.store,
      transitions: app.transitions,
      now: app.now,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs,
      timeoutGraceMs: options.timeoutGraceMs,
      ...(cluster ? { share: cluster } : {}),
    },
    {
      // The runner may be connected to any server of the cluster.
      cancel: (runnerId, buildId, reason) => {
        sendCancel(runnerId, buildId, reason);
        cluster?.cancel(runnerId, buildId, reason);
      },
    },
  );

  /** Tries to give the oldest matching pending build to `session`. */
  const tryClaim = (session: RunnerSession, requestId: string): boolean => {
    const build = session.runner && claimForRunner(app.store, claimBuild, session.runner.id, app.now());
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

  const isOpen = (session: RunnerSession) => session.socket.readyState === session.socket.OPEN;
  const claims = createClaimQueue<{ session: RunnerSession; m: ClaimMessage }>({
    store: app.store,
    claimBuild,
    now: app.now,
    runnerOf: ({ session }) => (isOpen(session) && session.runner ? session.runner.id : null),
    answer: ({ session, m }, build) => {
      if (build) session.claimed(m.requestId, build);
      else parkOrDecline(session, m);
    },
    failBatch: (batch, e) => {
      app.log(`claims failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      for (const { session, m } of batch) {
        session.send({ type: "error", code: "INTERNAL", message: "claim failed on the server" });
        // Every claim gets an answer: the runner waits for one before it claims again, so without it a
        // failed batch (transactions of several servers that kept conflicting on PostgreSQL) left its
        // runners idle until they reconnected. `noJob` sends them round their loop to claim again.
        if (isOpen(session)) session.send({ type: "noJob", requestId: m.requestId });
      }
    },
  });

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
      let claimed: boolean;
      try {
        claimed = tryClaim(claim.session, claim.requestId);
      } catch (e) {
        // This runs inside whatever queued the build: its failure stays here, and the claim stays parked
        // until the next queued build or its `waitMs`.
        app.log(`parked claim failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        return;
      }
      if (claimed) {
        unpark(claim);
        return;
      }
    }
  };
  // A running build deleted with its pipeline: its runner stops it, and no session takes more of it.
  const onPipelineDeleted = (deleted: DeletedPipeline) => {
    for (const { id, runnerId } of deleted.builds) {
      watchdog.forget(id);
      if (runnerId === null) continue;
      for (const s of sessions.get(runnerId) ?? []) s.forget(id);
      sendCancel(runnerId, id, "deleted");
    }
  };
  app.events.on("runnerMustCancel", onCancel);
  app.events.on("buildQueued", onQueued);
  app.events.on("pipelineDeleted", onPipelineDeleted);
  // Delayed jobs leave `scheduled` when their countdown ends; the sweep also catches countdowns that
  // ended while no timer knew of them (after a restart).
  // The countdowns run on the server's clock: moving it forward ends them at their due times.
  const scheduled = watchScheduledBuilds({ ...app, timers: app.clock });
  // The watchdog's pass runs in slices of SWEEP_SLICE_MS with the event loop free in between.
  let sweeping = false;
  let closed = false;
  const continueSweep = () => {
    if (closed) return;
    if (watchdog.sweepSome(SWEEP_SLICE_MS)) sweeping = false;
    else setImmediate(continueSweep);
  };
  // environment:auto_stop_in (GitLab's hourly AutoStopCronWorker; here every sweep, on the app's clock).
  const stopEnvironments = () => {
    try {
      stopExpiredEnvironments(app);
    } catch (e) {
      app.log(`auto-stop environments: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  };
  const sweepTimer = options.timers.setInterval(() => {
    // The watchdog's passes, the countdowns' catch-up sweep and the environments' auto stop run once
    // cluster-wide: on the leader. (Each server's own countdown timer still fires at the due time; the
    // machine ignores a second enqueue.)
    const leader = leads();
    if (leader && !sweeping) {
      sweeping = true;
      continueSweep();
    }
    if (leader) scheduled.sweep();
    if (leader) stopEnvironments();
    if (parked.length > 0) onQueued();
  }, options.sweepIntervalMs);
  (sweepTimer as { unref?: () => void }).unref?.();
  // A test moved the clock: what fell due meanwhile (silent runners, job timeouts, environments' auto
  // stop) happens now, in one whole pass, rather than at the next tick.
  const stopWatchingClock = app.clock.onMove(() => {
    if (closed) return;
    scheduled.sweep();
    if (!leads()) return;
    watchdog.sweep();
    stopEnvironments();
  });

  const hub = {
    options,
    watchdog,
    traces: createTraceBatcher(app),
    finishBuild: createFinishBuild(app),
    log: (line: string) => app.log(line),
    /** The link fault rule that takes this message of `runnerId`'s, if one does. */
    linkFault(runnerId: number, message: string, buildId: number | undefined) {
      if (!faults?.linkActive) return undefined;
      return faults.decideLink({
        on: "runner",
        runner: runnerId,
        message,
        ...(buildId === undefined ? {} : { build: buildId }),
      });
    },
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
    isRunningOn(buildId: number, runnerId: number): boolean {
      const build = app.store.builds.get(buildId);
      return build?.runnerId === runnerId && build.status === "running";
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
      claims.add({ session, m });
    },
    /** How the cluster relay reaches this server's runners. */
    clusterTargets(): Pick<ClusterRelayTargets, "wakeClaims" | "cancelOnRunner" | "watchdog"> & {
      resync(): void;
    } {
      return {
        wakeClaims: onQueued,
        cancelOnRunner: sendCancel,
        watchdog,
        // Cancels and deletions sent while this server was away: its runners stop what they must.
        resync() {
          for (const set of sessions.values())
            for (const s of set)
              for (const id of s.ownedBuilds()) {
                const build = app.store.builds.get(id);
                if (!build) {
                  s.forget(id);
                  s.send({ type: "cancel", buildId: id, reason: "deleted" });
                } else if (build.status === "canceled")
                  s.send({ type: "cancel", buildId: id, reason: "canceled" });
              }
        },
      };
    },
    /** Sessions of `runnerId` (tests and the admin endpoints). */
    sessionsOf(runnerId: number): RunnerSession[] {
      return [...(sessions.get(runnerId) ?? [])];
    },
    /** Stops timers and listeners and closes every runner socket with `code`. */
    close(code: number): void {
      closed = true;
      stopWatchingClock();
      options.timers.clearInterval(sweepTimer);
      app.events.off("runnerMustCancel", onCancel);
      app.events.off("buildQueued", onQueued);
      app.events.off("pipelineDeleted", onPipelineDeleted);
      scheduled.close();
      for (const claim of [...parked]) unpark(claim);
      for (const set of sessions.values()) for (const s of set) s.close(code, "server shutting down");
    },
  };
  return hub satisfies SessionHub;
}

export type RunnerHub = ReturnType<typeof createRunnerHub>;
