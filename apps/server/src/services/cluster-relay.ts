// Makes several servers on one database act as one: what this server commits is told to the others
// (cluster-messages.ts), and what they commit reaches this server's caches, watchers and runners:
//
//   local commit ── app.events / store.changes ──► publish (ids and offsets only)
//   trace append ── NOTIFYed by the statement that stores it, in the bus's envelope (PostgreSQL)
//   other server ── bus ──► changes:  drop what this server's read caches hold of those records
//                           trace:    the bytes (in messages of 4 KiB up to 256 KiB, else read from the
//                                     shared store) ─► traceAppended (watchers)
//                           build, pipeline, deleted, runnerDeleted ─► the same local events
//                           cancel:   the runner's sessions here, if it is connected here
//                           alive:    the watchdog learns what other servers' runners vouch for
//   lost messages (a reconnect) ──► every cache dropped, watchers and runners brought back in line
//
// An event relayed in is emitted on this server's bus like a local one, and never published again.

import { type CancelReason, isCompletedStatus } from "@buildsim/core";
import type { App } from "../app.js";
import { type ClusterBus, MAX_CLUSTER_MESSAGE_BYTES } from "../cluster/cluster-bus.js";
import type { DeletedPipeline, ServerEventMap } from "../events/server-events.js";
import type { CommittedChange } from "../store/change-log.js";
import type { BuildWatchdog, WatchdogShare } from "./build-watchdog.js";
import {
  type ClusterMessageMap,
  type ClusterTopic,
  isClusterMessage,
  slices,
  traceMessages,
} from "./cluster-messages.js";

/** What the runner layer needs of the cluster: leadership, and telling the other servers' runners. */
export interface ClusterLink extends WatchdogShare {
  /** Whether this server runs the cluster-wide chores (the watchdog's passes) now. */
  isLeader(): boolean;
  /** `cancel` to `runnerId`'s sessions on the other servers. */
  cancel(runnerId: number, buildId: number, reason: CancelReason): void;
}

/** This server's sockets, as the relay reaches them (the WebSocket layer provides them). */
export interface ClusterRelayTargets {
  hasTraceWatchers(buildId: number): boolean;
  hasProjectWatchers(projectId: number): boolean;
  /** A build became pending on another server: claims parked here may take it. */
  wakeClaims(): void;
  /** Sends `cancel` to `runnerId`'s sessions on this server. */
  cancelOnRunner(runnerId: number, buildId: number, reason: CancelReason): void;
  watchdog: Pick<BuildWatchdog, "heardElsewhere" | "timedOutElsewhere" | "forget">;
  /** Messages may have been missed: watchers and runners catch up with the store. */
  resync(): void;
}

/** The relay of one server. */
export interface ClusterRelay {
  link: ClusterLink;
  /** Starts hearing the other servers, delivering to `targets`. */
  attach(targets: ClusterRelayTargets): void;
  close(): void;
}

/** What the relay needs besides the app and the bus. */
export interface ClusterRelayOptions {
  /** How often what runners vouched for is reported to the other servers. @default 1000 */
  vouchReportMs?: number;
}

/** Creates the relay of `app` on `bus`; on a bus that is not shared it does nothing and always leads. */
export function createClusterRelay(
  app: Pick<App, "store" | "events" | "log" | "traces">,
  bus: ClusterBus,
  options: ClusterRelayOptions = {},
): ClusterRelay {
  if (!bus.shared)
    return {
      link: { isLeader: () => bus.isLeader(), cancel: () => {}, vouched: () => {}, serverRun: () => {} },
      attach: () => {},
      close: () => {},
    };
  const { store, events } = app;
  const publish = <T extends ClusterTopic>(topic: T, body: ClusterMessageMap[T]) => bus.publish(topic, body);
  /** The event being relayed in right now: its listeners run synchronously, and it must not go out again. */
  let relayingIn: unknown;
  const emitIn = <K extends keyof ServerEventMap>(name: K, ...args: ServerEventMap[K]) => {
    relayingIn = args[0];
    try {
      events.emit(name, ...(args as never));
    } finally {
      relayingIn = undefined;
    }
  };

  // Out: what this server committed.
  const onChanges = (change: CommittedChange) => {
    const fits = JSON.stringify(change).length < MAX_CLUSTER_MESSAGE_BYTES - 32;
    // A huge commit (a pipeline of thousands of jobs) is cheaper to announce as "everything".
    publish("changes", fits ? change : { global: true });
  };
  const off: Array<() => void> = [store.changes.onCommitted(onChanges)];
  const on = <K extends keyof ServerEventMap>(name: K, fn: (...args: ServerEventMap[K]) => void) => {
    const listener = ((...args: ServerEventMap[K]) => {
      if (args[0] !== relayingIn) fn(...args);
    }) as never;
    events.on(name, listener);
    off.push(() => events.off(name, listener));
  };
  on("traceAppended", (e) => {
    // Already told by the statement that stored it (below).
    if (e.toldCluster) return;
    for (const m of traceMessages(e.buildId, e.offset, e.data)) publish("trace", m);
  });
  // Where the bus can NOTIFY inside another connection's commit (PostgreSQL), a runner's trace bytes are
  // announced by the statement that stores them: the other servers' watchers get them with the commit,
  // not one more round trip (this server's event loop, then the bus's NOTIFY) after it. Every trace
  // message of the usual append goes that way, so a build's pieces reach the others in commit order.
  const inCommit = bus.commitNotices;
  if (inCommit)
    app.traces.tellInCommit({
      channel: inCommit.channel,
      payloadsOf: (b, o, bytes) => inCommit.pack(traceMessages(b, o, bytes).map((m) => ["trace", m])),
    });
  on("buildChanged", (b) => publish("build", { i: b.id, p: b.projectId, s: b.status }));
  on("pipelineChanged", (p) => publish("pipeline", { i: p.id, p: p.projectId }));
  on("runnerMustCancel", (e) => {
    if (e.runnerId !== null) publish("cancel", { b: e.buildId, r: e.runnerId, why: "canceled" });
  });
  on("pipelineDeleted", (d) => {
    for (const part of slices(d.builds))
      publish("deleted", { i: d.pipelineId, p: d.projectId, bs: part.map((b) => [b.id, b.runnerId]) });
  });
  on("runnerDeleted", (r) => publish("runnerDeleted", { r }));

  // What runners vouched for goes out in one report per period, not one message per heartbeat.
  const vouched = { s: new Set<number>(), c: new Set<number>(), v: new Set<number>() };
  const report = () => {
    const [s, c, v] = [slices([...vouched.s]), slices([...vouched.c]), slices([...vouched.v])];
    vouched.s.clear();
    vouched.c.clear();
    vouched.v.clear();
    for (let i = 0; i < Math.max(s.length, c.length, v.length); i++)
      publish("alive", { s: s[i] ?? [], c: c[i] ?? [], v: v[i] ?? [] });
  };
  const reportTimer = setInterval(report, options.vouchReportMs ?? 1000);
  reportTimer.unref();

  // In: what the others committed.
  const handlers = (
    targets: ClusterRelayTargets,
  ): { [T in ClusterTopic]: (m: ClusterMessageMap[T]) => void } => ({
    changes: (m) => store.changes.applyRemote(m),
    trace: (m) => {
      if (!targets.hasTraceWatchers(m.b)) return;
      // A small append's bytes came with the message; a large one is read from the shared store.
      const data = m.d === undefined ? store.traces.readRange(m.b, m.o, m.l) : Buffer.from(m.d, "base64");
      emitIn("traceAppended", { buildId: m.b, offset: m.o, data, length: m.o + data.byteLength });
    },
    build: (m) => {
      if (isCompletedStatus(m.s)) targets.watchdog.forget(m.i);
      if (m.s === "pending") targets.wakeClaims();
      if (!targets.hasTraceWatchers(m.i) && !targets.hasProjectWatchers(m.p)) return;
      const build = store.builds.get(m.i);
      if (build) emitIn("buildChanged", build);
    },
    pipeline: (m) => {
      const pipeline = targets.hasProjectWatchers(m.p) ? store.pipelines.get(m.i) : undefined;
      if (pipeline) emitIn("pipelineChanged", pipeline);
    },
    cancel: (m) => {
      if (m.why === "timeout") targets.watchdog.timedOutElsewhere(m.b);
      targets.cancelOnRunner(m.r, m.b, m.why);
    },
    deleted: (m) => {
      const builds = m.bs.map(([id, runnerId]) => ({ id, runnerId }));
      emitIn("pipelineDeleted", { pipelineId: m.i, projectId: m.p, builds } satisfies DeletedPipeline);
    },
    runnerDeleted: (m) => emitIn("runnerDeleted", m.r),
    alive: (m) => targets.watchdog.heardElsewhere({ seen: m.s, confirmed: m.c, serverRun: m.v }),
  });

  return {
    link: {
      isLeader: () => bus.isLeader(),
      cancel: (runnerId, buildId, reason) => publish("cancel", { b: buildId, r: runnerId, why: reason }),
      vouched: (buildId, confirmed) => (confirmed ? vouched.c : vouched.s).add(buildId),
      serverRun: (buildId) => vouched.v.add(buildId),
    },
    attach(targets) {
      const handle = handlers(targets);
      off.push(
        bus.subscribe((topic, body) => {
          // The server may be closing while a message was in flight.
          if (!store.isOpen()) return;
          if (topic in handle && isClusterMessage(topic as ClusterTopic, body))
            (handle[topic as ClusterTopic] as (m: unknown) => void)(body);
          else app.log(`cluster: ignored a malformed ${topic} message`);
        }),
        bus.onResync(() => {
          if (!store.isOpen()) return;
          store.changes.applyRemote({ global: true });
          targets.resync();
        }),
      );
    },
    close() {
      if (inCommit) app.traces.tellInCommit(undefined);
      clearInterval(reportTimer);
      report();
      for (const stop of off.splice(0)) stop();
    },
  };
}
