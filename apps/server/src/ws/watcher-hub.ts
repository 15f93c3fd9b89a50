// Trace watchers: each gets the stored bytes from its offset, then live chunks in order, status changes,
// and `end` when the build completes (sequence diagram: docs/runner-protocol.md, "Trace watchers").
//
// The stored backlog goes out in pieces of at most `maxWatcherChunkBytes`, paced by the socket (see
// WatcherStream); a live watcher whose socket holds more than `maxBufferedBytes` unsent, or one that
// reads nothing for `watcherStallMs`, is closed with WATCHER_TOO_SLOW (4408) after what is already
// buffered; it reconnects with `offset` = the bytes it has.

import type { Writable } from "node:stream";
import { type Build, CLOSE_CODES, isCompletedStatus, type ServerToWatcherMessage } from "@buildsim/core";
import type { WebSocket } from "ws";
import type { App } from "../app.js";
import type { DeletedPipeline } from "../events/server-events.js";
import { maskSecrets, type TraceSecrets, traceSecretsOf } from "../services/traces.js";
import type { LinkFaults } from "./link-faults.js";
import { MaskedTrace } from "./masked-trace.js";
import type { ResolvedRealtimeOptions } from "./realtime-options.js";
import { type EncodedChunk, encodeChunk } from "./text-frame.js";
import { WatcherStream, type WatcherStreamOptions } from "./watcher-stream.js";

interface Channel {
  watchers: Set<WatcherStream>;
  trace: MaskedTrace;
  /** The last status announced: builds also change without a status change (artifacts, erase). */
  status: Build["status"];
}

/** Creates the watcher registry, subscribed to the bus. */
export function createWatcherHub(
  app: Pick<App, "store" | "events">,
  options: ResolvedRealtimeOptions,
  faults?: LinkFaults,
) {
  const channels = new Map<number, Channel>();
  const pieceBytes = Math.max(
    1,
    Math.min(options.maxWatcherChunkBytes, Math.floor(options.maxBufferedBytes / 4)),
  );
  const streamOptions: WatcherStreamOptions = {
    pieceBytes,
    // Two pieces in flight keep the socket busy; a chunk message is base64 (4/3) plus its envelope.
    windowBytes: Math.ceil((pieceBytes * 4) / 3) * 2,
    maxBufferedBytes: options.maxBufferedBytes,
    stallMs: options.watcherStallMs,
    closeTimeoutMs: options.watcherCloseTimeoutMs,
    timers: options.timers,
  };

  // Messages are encoded to bytes once and sent as text frames to every watcher: `ws` would otherwise
  // convert the same string to bytes once per watcher.
  const message = (m: ServerToWatcherMessage) => Buffer.from(JSON.stringify(m));

  /** Sends released bytes [offset, offset + data.length) to each caught-up watcher that lacks some. */
  const deliver = (channel: Channel, buildId: number, offset: number, data: Buffer) => {
    if (data.byteLength === 0) return;
    const end = offset + data.byteLength;
    let shared: EncodedChunk | undefined;
    for (const w of channel.watchers) {
      // A watcher still catching up reads these bytes from the store when it gets to them.
      if (w.catchingUp || w.sentBytes >= end || w.sentBytes < offset) continue;
      // A link fault (contract tests): the watcher's connection drops, or this chunk arrives late.
      const fault = faults?.linkActive ? faults.decideLink({ on: "watcher", build: buildId }) : undefined;
      if (fault?.effect.type === "drop") {
        w.socket.terminate();
        continue;
      }
      const delayMs = fault?.effect.type === "delay" ? fault.effect.ms : 0;
      if (w.sentBytes === offset) {
        shared ??= encodeChunk(offset, data);
        w.live(shared, end, delayMs);
      } else w.live(encodeChunk(w.sentBytes, data.subarray(w.sentBytes - offset)), end, delayMs);
    }
  };

  /** Starts `channel` over from the store; watchers that lack what it releases catch up from the store. */
  const startOver = (channel: Channel, buildId: number) => {
    channel.trace.reset(app.store.traces.read(buildId));
    for (const w of channel.watchers) w.resume();
  };

  const onTrace = (e: { buildId: number; offset: number; data: Buffer; length: number }) => {
    const channel = channels.get(e.buildId);
    if (!channel) return;
    const heard = channel.trace.length;
    let data = e.data;
    if (e.offset !== heard) {
      // Another server's append can arrive after the channel read it from the store: the new tail only.
      if (e.offset < heard && e.length > heard) data = e.data.subarray(heard - e.offset);
      else if (e.offset < heard && (app.store.traces.length(e.buildId) ?? 0) >= heard) return;
      else {
        // Not the continuation of what we heard (erased and rewritten, or messages missed): start over.
        startOver(channel, e.buildId);
        return;
      }
    }
    const released = channel.trace.append(data);
    deliver(channel, e.buildId, released.offset, released.data);
  };
  const onBuild = (build: Build) => {
    const channel = channels.get(build.id);
    if (!channel || channel.status === build.status) return;
    channel.status = build.status;
    // A runner took it since the channel opened: its token is a secret from now on (nothing of the
    // trace was written before the runner had it, so nothing released needs masking again).
    const secrets = traceSecretsOf(app.store, build);
    const known = channel.trace.secretList;
    const isNew = (s: string, list: readonly string[]) => !list.includes(s);
    if (
      secrets.tokens.some((s) => isNew(s, known.tokens)) ||
      secrets.masked.some((s) => isNew(s, known.masked))
    )
      channel.trace = new MaskedTrace(secrets, app.store.traces.read(build.id));
    if (isCompletedStatus(build.status)) {
      const rest = channel.trace.flush();
      deliver(channel, build.id, rest.offset, rest.data);
    }
    for (const w of channel.watchers) {
      w.control(message({ type: "status", status: build.status }));
      // The masked length: masked variables' values shrink to `[MASKED]`.
      if (isCompletedStatus(build.status))
        w.end(message({ type: "end", status: build.status, length: channel.trace.released }));
    }
  };
  // A deleted build has no more trace nor an end: its watchers are told so and let go.
  const letGo = (buildId: number) => {
    const channel = channels.get(buildId);
    if (!channel) return;
    channels.delete(buildId);
    for (const w of channel.watchers) w.gone();
  };
  const onPipelineDeleted = (deleted: DeletedPipeline) => {
    for (const { id } of deleted.builds) letGo(id);
  };
  app.events.on("traceAppended", onTrace);
  app.events.on("buildChanged", onBuild);
  app.events.on("pipelineDeleted", onPipelineDeleted);

  /**
   * Masked bytes [from, to) of `buildId`'s released trace. With tokens only, masking keeps lengths, so the
   * range is read with enough around it to mask a secret cut by it. `[MASKED]` values change lengths:
   * then offsets are in masked bytes and the released part is masked whole.
   */
  const readMasked = (buildId: number, trace: MaskedTrace, from: number, to: number): Buffer => {
    const secrets: TraceSecrets = trace.secretList;
    if (secrets.masked.length > 0)
      return trace.releasedPart(app.store.traces.read(buildId)).subarray(from, to);
    const margin = secrets.tokens.reduce((m, s) => Math.max(m, Buffer.byteLength(s)), 0);
    const start = Math.max(0, from - margin);
    const raw = app.store.traces.readRange(buildId, start, to + margin);
    return maskSecrets(raw, secrets).subarray(from - start, to - start);
  };

  return {
    /** Starts streaming `build` (already authorized) to `socket`, upgraded from `tcp`, from byte `offset`. */
    watch(socket: WebSocket, tcp: Writable, build: Build, offset: number): void {
      let channel = channels.get(build.id);
      if (!channel) {
        // better-sqlite3 is synchronous: nothing can be appended between this read and joining the channel.
        channel = {
          watchers: new Set(),
          trace: new MaskedTrace(traceSecretsOf(app.store, build), app.store.traces.read(build.id)),
          status: build.status,
        };
        channels.set(build.id, channel);
      }
      const current = channel;
      const fresh = app.store.builds.get(build.id) ?? build;
      // A complete build's trace is final: release what was held back in case it began a secret.
      if (isCompletedStatus(fresh.status)) current.trace.flush();
      const w = new WatcherStream(
        socket,
        tcp,
        offset,
        {
          releasedLength: () => current.trace.released,
          readMasked: (from, to) => readMasked(build.id, current.trace, from, to),
        },
        streamOptions,
      );
      current.watchers.add(w);
      socket.on("close", () => {
        current.watchers.delete(w);
        if (current.watchers.size === 0 && channels.get(build.id) === current) channels.delete(build.id);
      });
      socket.on("error", () => {});
      if (isCompletedStatus(fresh.status))
        w.end(message({ type: "end", status: fresh.status, length: current.trace.released }));
      else {
        current.status = fresh.status;
        w.control(message({ type: "status", status: fresh.status }));
      }
      w.pump();
    },
    /** Watchers of `buildId` right now. */
    count(buildId: number): number {
      return channels.get(buildId)?.watchers.size ?? 0;
    },
    /** Messages of other servers may have been missed: every channel catches up with the store. */
    resync(): void {
      for (const [id, channel] of [...channels]) {
        const build = app.store.builds.get(id);
        if (!build) {
          letGo(id);
          continue;
        }
        if ((app.store.traces.length(id) ?? 0) !== channel.trace.length) startOver(channel, id);
        onBuild(build);
      }
    },
    close(): void {
      app.events.off("traceAppended", onTrace);
      app.events.off("buildChanged", onBuild);
      app.events.off("pipelineDeleted", onPipelineDeleted);
      for (const channel of channels.values())
        for (const w of channel.watchers) w.socket.close(CLOSE_CODES.GOING_AWAY, "server shutting down");
    },
  };
}

export type WatcherHub = ReturnType<typeof createWatcherHub>;
