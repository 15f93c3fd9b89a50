// Trace watchers: each gets the stored bytes from its offset, then live chunks in order, status changes,
// and `end` when the build completes (sequence diagram: docs/runner-protocol.md, "Trace watchers").
//
// A watcher whose socket holds more than `maxBufferedBytes` unsent is closed with WATCHER_TOO_SLOW
// (4408) after what is already buffered; it reconnects with `offset` = the bytes it has.

import { type Build, CLOSE_CODES, isCompletedStatus, type ServerToWatcherMessage } from "@buildsim/core";
import type { WebSocket } from "ws";
import type { App } from "../app.js";
import { maskSecrets } from "../services/traces.js";
import { MaskedTrace } from "./masked-trace.js";
import type { ResolvedRealtimeOptions } from "./realtime-options.js";

interface Watcher {
  socket: WebSocket;
  /** Bytes of the trace this watcher has been sent. */
  sentBytes: number;
  closing: boolean;
}

interface Channel {
  watchers: Set<Watcher>;
  trace: MaskedTrace;
  /** The last status announced: builds also change without a status change (artifacts, erase). */
  status: Build["status"];
}

const CHUNK_END = Buffer.from('"}');

/** How long a slow watcher's close may take before its socket is destroyed. */
const CLOSE_TIMEOUT_MS = 5000;

/** Creates the watcher registry, subscribed to the bus. */
export function createWatcherHub(app: App, options: ResolvedRealtimeOptions) {
  const channels = new Map<number, Channel>();

  // Messages are encoded to bytes once and sent as text frames to every watcher: `ws` would otherwise
  // convert the same string to bytes once per watcher.
  const send = (w: Watcher, text: Buffer): void => {
    if (w.closing || w.socket.readyState !== w.socket.OPEN) return;
    w.socket.send(text, { binary: false });
    if (w.socket.bufferedAmount > options.maxBufferedBytes) {
      w.closing = true;
      w.socket.close(CLOSE_CODES.WATCHER_TOO_SLOW, "watcher too slow; resume from your offset");
      const timer = options.timers.setTimeout(() => w.socket.terminate(), CLOSE_TIMEOUT_MS);
      w.socket.once("close", () => options.timers.clearTimeout(timer));
    }
  };
  const message = (m: ServerToWatcherMessage) => Buffer.from(JSON.stringify(m));
  /**
   * The `chunk` message as bytes, assembled directly: base64 needs no JSON escaping, so this is exactly
   * `JSON.stringify({type: "chunk", offset, data})` without scanning and re-encoding a large string.
   */
  const chunk = (offset: number, data: Buffer) =>
    Buffer.concat([
      Buffer.from(`{"type":"chunk","offset":${offset},"data":"`),
      Buffer.from(data.toString("base64"), "latin1"),
      CHUNK_END,
    ]);

  /** Sends released bytes [offset, offset + data.length) to each watcher that lacks some of them. */
  const deliver = (channel: Channel, offset: number, data: Buffer) => {
    if (data.byteLength === 0) return;
    const end = offset + data.byteLength;
    let shared: Buffer | undefined;
    for (const w of channel.watchers) {
      if (w.sentBytes >= end || w.sentBytes < offset) continue;
      if (w.sentBytes === offset) {
        shared ??= chunk(offset, data);
        send(w, shared);
      } else send(w, chunk(w.sentBytes, data.subarray(w.sentBytes - offset)));
      w.sentBytes = end;
    }
  };

  const end = (w: Watcher, build: Build) => {
    send(w, message({ type: "end", status: build.status, length: build.trace.bytes }));
    if (!w.closing) w.socket.close(CLOSE_CODES.NORMAL, "build complete");
    w.closing = true;
  };

  const onTrace = (e: { buildId: number; offset: number; data: Buffer; length: number }) => {
    const channel = channels.get(e.buildId);
    if (!channel) return;
    if (e.offset !== channel.trace.length) {
      // Not the continuation of what we heard (the trace was erased and rewritten): start over.
      channel.trace.reset(app.store.traces.read(e.buildId));
      return;
    }
    const released = channel.trace.append(e.data);
    deliver(channel, released.offset, released.data);
  };
  const onBuild = (build: Build) => {
    const channel = channels.get(build.id);
    if (!channel || channel.status === build.status) return;
    channel.status = build.status;
    if (isCompletedStatus(build.status)) {
      const rest = channel.trace.flush();
      deliver(channel, rest.offset, rest.data);
    }
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
      // better-sqlite3 is synchronous: nothing can be appended between this read and joining the channel.
      const stored = app.store.traces.read(build.id);
      let channel = channels.get(build.id);
      if (!channel) {
        const project = app.store.projects.get(build.projectId);
        channel = {
          watchers: new Set(),
          trace: new MaskedTrace([project?.runnersToken ?? "", build.token], stored),
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
      const fresh = app.store.builds.get(build.id) ?? build;
      const complete = isCompletedStatus(fresh.status);
      // A complete build's trace is final: all of it is released; else only what the channel released.
      const masked = complete
        ? maskSecrets(stored, current.trace.secretList)
        : current.trace.releasedPart(stored);
      if (masked.byteLength > offset) {
        send(w, chunk(offset, masked.subarray(offset)));
        w.sentBytes = masked.byteLength;
      }
      if (complete) {
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
