// Project event watchers: each socket hears which of its project's jobs and pipelines changed, as the
// bus reports them, so pages refetch what changed instead of polling (protocol in core's protocol.ts).

import { type Build, CLOSE_CODES, type Pipeline, type ServerToEventsWatcherMessage } from "@buildsim/core";
import type { WebSocket } from "ws";
import type { App } from "../app.js";
import type { ResolvedRealtimeOptions } from "./realtime-options.js";

/** The registry of event sockets, by project. */
export interface EventsHub {
  watch(socket: WebSocket, projectId: number): void;
  /** Whether a socket watches `projectId` now. */
  hasWatchers(projectId: number): boolean;
  /** Closes every socket with 1001 and unsubscribes from the bus. */
  close(): void;
}

/** Creates the registry, subscribed to the bus. */
export function createEventsHub(app: Pick<App, "events">, options: ResolvedRealtimeOptions): EventsHub {
  const byProject = new Map<number, Set<WebSocket>>();

  const publish = (projectId: number, message: ServerToEventsWatcherMessage): void => {
    const sockets = byProject.get(projectId);
    if (!sockets) return;
    const text = Buffer.from(JSON.stringify(message));
    for (const socket of sockets) {
      if (socket.readyState !== socket.OPEN) continue;
      // A page that cannot keep up reconnects and refetches: hints are worthless once far behind.
      if (socket.bufferedAmount > options.maxBufferedBytes) {
        socket.close(CLOSE_CODES.WATCHER_TOO_SLOW, "events watcher too slow; reconnect and refetch");
        continue;
      }
      socket.send(text, { binary: false });
    }
  };

  const onBuild = (build: Build) =>
    publish(build.projectId, {
      type: "job",
      id: build.id,
      pipeline_id: build.pipelineId,
      status: build.status,
    });
  const onPipeline = (pipeline: Pipeline) =>
    publish(pipeline.projectId, { type: "pipeline", id: pipeline.id, status: pipeline.status });
  app.events.on("buildChanged", onBuild);
  app.events.on("pipelineChanged", onPipeline);

  return {
    hasWatchers: (projectId) => byProject.has(projectId),
    watch(socket, projectId) {
      const sockets = byProject.get(projectId) ?? new Set<WebSocket>();
      byProject.set(projectId, sockets);
      sockets.add(socket);
      socket.on("close", () => {
        sockets.delete(socket);
        if (sockets.size === 0 && byProject.get(projectId) === sockets) byProject.delete(projectId);
      });
      // Pages only listen; anything they send is ignored rather than treated as a protocol error.
      socket.on("message", () => {});
      socket.on("error", () => {});
    },
    close() {
      app.events.off("buildChanged", onBuild);
      app.events.off("pipelineChanged", onPipeline);
      for (const sockets of byProject.values())
        for (const socket of sockets) socket.close(CLOSE_CODES.GOING_AWAY, "server closing");
      byProject.clear();
    },
  };
}
