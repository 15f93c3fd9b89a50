// Trace watchers: each gets the stored bytes from its offset, then live chunks in order, status changes,
// and `end` when the build completes.
//
//   watcher                                  server
//     |<-- chunk {offset, data} -----------------|  stored bytes from `offset`, then live ones, in order
//     |<-- status {status} ----------------------|  each status change while watching
//     |<-- end {status, length} -----------------|  build complete; the server closes with 1000
//
// A watcher whose socket holds more than `maxBufferedBytes` unsent is closed with WATCHER_TOO_SLOW
// (4408) after what is already buffered; it reconnects with `offset` = the bytes it has.

import { type Build, CLOSE_CODES, isCompletedStatus, type ServerToWatcherMessage } from "@buildsim/core";
import type { WebSocket } from "ws";
import type { App } from "../app.js";
import { maskSecrets } from "../services/traces.js";
import type { ResolvedRealtimeOptions } from "./realtime-options.js";

interface Watcher {
  socket: WebSocket;
  /** Bytes of the trace this watcher has been sent. */
  sentBytes: number;
  closing: boolean;
}

interface Channel {
  watchers: Set<Watcher>;
  secrets: string[];
  /** The last status announced: builds also change without a status change (artifacts, erase). */
  status: Build["status"];
}

/** How long a slow watcher's close may take before its socket is destroyed. */
const CLOSE_TIMEOUT_MS = 5000;

/** Creates the watcher registry, subscribed to the bus. */
export function createWatcherHub(app: App, options: ResolvedRealtimeOptions) {
  const channels = new Map<number, Channel>();

  const send = (w: Watcher, text: string): void => {
    if (w.closing || w.socket.readyState !== w.socket.OPEN) return;
    w.socket.send(text);
    if (w.socket.bufferedAmount > options.maxBufferedBytes) {
      w.closing = true;
      w.socket.close(CLOSE_CODES.WATCHER_TOO_SLOW, "watcher too slow; resume from your offset");
      const timer = options.timers.setTimeout(() => w.socket.terminate(), CLOSE_TIMEOUT_MS);
      w.socket.once("close", () => options.timers.clearTimeout(timer));
    }
  };
  const message = (m: ServerToWatcherMessage) => JSON.stringify(m);
  const chunk = (offset: number, data: Buffer, secrets: string[]) =>
    message({ type: "chunk", offset, data: maskSecrets(data, secrets).toString("base64") });

  const end = (w: Watcher, build: Build) => {
    send(w, message({ type: "end", status: build.status, length: build.trace.bytes }));
    if (!w.closing) w.socket.close(CLOSE_CODES.NORMAL, "build complete");
    w.closing = true;
  };

  const onTrace = (e: { buildId: number; offset: number; data: Buffer; length: number }) => {
    const channel = channels.get(e.buildId);
    if (!channel) return;
    // Watchers in step share one encoded message; one that is behind or ahead gets its own slice.
    let shared: string | undefined;
    for (const w of channel.watchers) {
      if (w.sentBytes >= e.length) continue;
      if (w.sentBytes === e.offset) {
        shared ??= chunk(e.offset, e.data, channel.secrets);
        send(w, shared);
      } else if (w.sentBytes > e.offset) {
        send(w, chunk(w.sentBytes, e.data.subarray(w.sentBytes - e.offset), channel.secrets));
      } else {
        const stored = app.store.traces.read(e.buildId).subarray(w.sentBytes, e.length);
        send(w, chunk(w.sentBytes, stored, channel.secrets));
      }
      w.sentBytes = e.length;
    }
  };
  const onBuild = (build: Build) => {
    const channel = channels.get(build.id);
    if (!channel || channel.status === build.status) return;
    channel.status = build.status;
    for (const w of channel.watchers) {
      send(w, message({ type: "status", status: build.status }));
      if (isCompletedStatus(build.status)) end(w, build);
    }
  };
  app.events.on("traceAppended", onTrace);
  app.events.on("buildChanged", onBuild);

  return {
    /** Starts streaming `build` (already authorized) to `socket` from byte `offset`. */
    watch(socket: WebSocket, build: Build, offset: number): void {
      let channel = channels.get(build.id);
      if (!channel) {
        const project = app.store.projects.get(build.projectId);
        channel = {
          watchers: new Set(),
          secrets: [project?.runnersToken ?? "", build.token],
          status: build.status,
        };
        channels.set(build.id, channel);
      }
      const w: Watcher = { socket, sentBytes: offset, closing: false };
      const current = channel;
      socket.on("close", () => {
        current.watchers.delete(w);
        if (current.watchers.size === 0 && channels.get(build.id) === current) channels.delete(build.id);
      });
      socket.on("error", () => {});
      // better-sqlite3 is synchronous: nothing can be appended between this read and joining the channel.
      const stored = app.store.traces.read(build.id);
      if (stored.byteLength > offset) {
        send(w, chunk(offset, stored.subarray(offset), current.secrets));
        w.sentBytes = stored.byteLength;
      }
      const fresh = app.store.builds.get(build.id) ?? build;
      if (isCompletedStatus(fresh.status)) {
        end(w, fresh);
        return;
      }
      current.status = fresh.status;
      send(w, message({ type: "status", status: fresh.status }));
      current.watchers.add(w);
    },
    /** Watchers of `buildId` right now. */
    count(buildId: number): number {
      return channels.get(buildId)?.watchers.size ?? 0;
    },
    close(): void {
      app.events.off("traceAppended", onTrace);
      app.events.off("buildChanged", onBuild);
      for (const channel of channels.values())
        for (const w of channel.watchers) w.socket.close(CLOSE_CODES.GOING_AWAY, "server shutting down");
    },
  };
}

export type WatcherHub = ReturnType<typeof createWatcherHub>;
