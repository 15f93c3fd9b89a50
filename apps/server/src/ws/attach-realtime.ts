// Mounts the WebSocket layer on the API's HTTP server: upgrades to RUNNER_WS_PATH become runner
// sessions, upgrades to TRACE_WS_PATH become trace watchers (rejected with GitLab's status and JSON
// body when not allowed), anything else is refused with 404.

import { type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { CLOSE_CODES, EVENTS_WS_PATH, RUNNER_WS_PATH, TRACE_WS_PATH } from "@buildsim/core";
import { WebSocketServer } from "ws";
import type { App } from "../app.js";
import { API_ERRORS } from "../http/api-error.js";
import type { ClusterLink, ClusterRelayTargets } from "../services/cluster-relay.js";
import { authorizeEventsWatcher } from "./authorize-events-watcher.js";
import { authorizeWatcher } from "./authorize-watcher.js";
import { createEventsHub, type EventsHub } from "./events-hub.js";
import type { LinkFaults } from "./link-faults.js";
import { type RealtimeOptions, resolveRealtimeOptions } from "./realtime-options.js";
import { maxRunnerFrameBytes } from "./runner-frame-limits.js";
import { createRunnerHub, type RunnerHub, type RunnerHubDeps } from "./runner-hub.js";
import { RunnerSession } from "./runner-session.js";
import { createWatcherHub, type WatcherHub } from "./watcher-hub.js";

/** The mounted layer. */
export interface Realtime {
  runners: RunnerHub;
  watchers: WatcherHub;
  /** Project event sockets (the web UI's live updates). */
  events: EventsHub;
  /** What the cluster relay delivers other servers' changes to. */
  clusterTargets: ClusterRelayTargets;
  /** Closes every socket (1001) and stops the timers. */
  close(): void;
}

/** Answers an upgrade request with a plain HTTP response and drops the socket. */
function reject(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ""}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** Handles upgrades on `server`. `serverUrl` is the server's base URL (known once it listens). */
export function attachRealtime(
  server: Server,
  app: RunnerHubDeps & Pick<App, "store" | "events">,
  serverUrl: () => string,
  options: RealtimeOptions = {},
  /** Fault rules whose link rules break runner and watcher sockets (the contract-testing controls). */
  faults?: LinkFaults,
  /** The other servers of a cluster. @default none */
  cluster?: ClusterLink,
): Realtime {
  const resolved = resolveRealtimeOptions(options);
  // Our own frames are small JSON; compression would cost more CPU than it saves on localhost. Without it
  // `ws` writes every message to the socket at once (it queues only while compressing), so the frames that
  // runner sessions and watcher streams write to the socket themselves (text-frame.ts) keep their place
  // among the ones `ws` writes (close, pong).
  // maxPayload: no runner message is larger than a full trace chunk, and watchers send nothing; `ws`
  // refuses a bigger frame (1009) while it arrives instead of buffering it whole.
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: maxRunnerFrameBytes(resolved.maxTraceChunkBytes),
  });
  const runners = createRunnerHub(app, resolved, serverUrl, faults, cluster);
  const watchers = createWatcherHub(app, resolved, faults);
  const events = createEventsHub(app, resolved);
  const runnerTargets = runners.clusterTargets();
  const clusterTargets: ClusterRelayTargets = {
    ...runnerTargets,
    hasTraceWatchers: (buildId) => watchers.count(buildId) > 0,
    hasProjectWatchers: (projectId) => events.hasWatchers(projectId),
    resync() {
      runnerTargets.resync();
      watchers.resync();
    },
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => {});
    const url = req.url ?? "/";
    const path = url.split("?")[0];
    if (path === RUNNER_WS_PATH) {
      wss.handleUpgrade(req, socket, head, (ws) => new RunnerSession(ws, socket, runners));
      return;
    }
    if (path === TRACE_WS_PATH) {
      const auth = authorizeWatcher(app, req);
      if (!auth.ok) reject(socket, auth.error.status, auth.error.body);
      else wss.handleUpgrade(req, socket, head, (ws) => watchers.watch(ws, socket, auth.build, auth.offset));
      return;
    }
    if (path === EVENTS_WS_PATH) {
      const auth = authorizeEventsWatcher(app, req);
      if (!auth.ok) reject(socket, auth.error.status, auth.error.body);
      else wss.handleUpgrade(req, socket, head, (ws) => events.watch(ws, auth.project.id));
      return;
    }
    reject(socket, API_ERRORS.ROUTE_NOT_FOUND.status, API_ERRORS.ROUTE_NOT_FOUND.body);
  };
  server.on("upgrade", onUpgrade);

  return {
    runners,
    watchers,
    events,
    clusterTargets,
    close() {
      server.off("upgrade", onUpgrade);
      runners.close(CLOSE_CODES.GOING_AWAY);
      watchers.close();
      events.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
