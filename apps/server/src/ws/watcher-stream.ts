// One trace watcher's socket with flow control: the stored backlog is sent in bounded pieces, each
// after the previous ones were written out, so a late watcher of a huge trace costs one piece of memory
// and a healthy watcher is never taken for a slow one; live chunks follow once it has caught up.
//
//   catching up:  read piece [sent, sent + pieceBytes) from the store → chunk → wait for the write
//                 callback while `windowBytes` are in flight → … → caught up with what is released
//                 (status and end are held meanwhile, then sent in order)
//   live:         chunks sent as they are released; more than `maxBufferedBytes` unsent → 4408
//   stalled:      nothing written for `stallMs` while catching up → 4408 (the watcher reads nothing)
//
// A 4408 close is queued after what is already buffered; the socket is destroyed only if the close
// has not gone through after `closeTimeoutMs`, so a watcher that resumes reading sees 4408, not 1006.

import type { Writable } from "node:stream";
import { CLOSE_CODES } from "@buildsim/core";
import type { WebSocket } from "ws";
import type { RealtimeTimers } from "./realtime-options.js";
import { chunkMessage, type EncodedChunk } from "./text-frame.js";

/** How a watcher's stream behaves. */
export interface WatcherStreamOptions {
  /** Largest trace slice in one chunk message. */
  pieceBytes: number;
  /** Bytes of messages handed to the socket and not yet written, while catching up. */
  windowBytes: number;
  /** Unsent bytes past which a live watcher is too slow. */
  maxBufferedBytes: number;
  stallMs: number;
  closeTimeoutMs: number;
  timers: RealtimeTimers;
}

/** Where the stream reads the trace from. */
export interface WatcherTraceSource {
  /** Bytes released to watchers so far (all of them once the build is complete). */
  releasedLength(): number;
  /** Released bytes [from, to), masked. */
  readMasked(from: number, to: number): Buffer;
}

/** A watcher's socket, catching up from the store and then live. */
export class WatcherStream {
  /** Bytes of the trace handed to the socket. */
  sentBytes: number;
  closing = false;
  /** True while the backlog is being pumped: live chunks are read from the store instead. */
  catchingUp = true;
  private inFlight = 0;
  private stallTimer: unknown = undefined;
  /** Messages (status, end) that must follow the backlog. */
  private readonly held: Buffer[] = [];
  private endAfterHeld = false;
  /**
   * Live messages held back by a delay fault, and those behind them, oldest first. One timer sends them
   * in this order: timers of different lengths due at the same moment may fire in either order.
   */
  private readonly delayed: Array<{ dueMs: number; send: () => void }> = [];

  /**
   * @param tcp The upgraded connection under `socket`: live chunks are written to it as whole frames,
   *   one write per watcher (see attach-realtime.ts for why that keeps the frames in order).
   */
  constructor(
    readonly socket: WebSocket,
    private readonly tcp: Writable,
    offset: number,
    private readonly source: WatcherTraceSource,
    private readonly o: WatcherStreamOptions,
  ) {
    this.sentBytes = offset;
    socket.once("close", () => this.clearStall());
  }

  private get open(): boolean {
    return !this.closing && this.socket.readyState === this.socket.OPEN;
  }

  /**
   * Sends a live chunk (the watcher is caught up), `delayMs` late when a delay fault took it; closes a
   * watcher that stopped reading.
   */
  live(chunk: EncodedChunk, endBytes: number, delayMs = 0): void {
    if (!this.open) return;
    this.sentBytes = endBytes;
    this.inOrder(delayMs, () => {
      if (!this.open) return;
      // The frame every watcher of the chunk shares: `socket.send` would frame the message again.
      this.tcp.write(chunk.frame);
      if (this.socket.bufferedAmount > this.o.maxBufferedBytes) this.tooSlow();
    });
  }

  /** A status (or other control) message: after the backlog when catching up. */
  control(message: Buffer): void {
    if (this.catchingUp) this.held.push(message);
    else this.inOrder(0, () => this.open && this.socket.send(message, { binary: false }));
  }

  /** `end`, then a normal close, after everything before it. */
  end(message: Buffer): void {
    this.control(message);
    if (this.catchingUp) this.endAfterHeld = true;
    else this.inOrder(0, () => this.closeNormally());
  }

  /** Runs `send` after `delayMs`, and never before what an earlier delay holds back. */
  private inOrder(delayMs: number, send: () => void): void {
    if (this.delayed.length === 0 && delayMs <= 0) {
      send();
      return;
    }
    const dueMs = Math.max(Date.now() + delayMs, this.delayed.at(-1)?.dueMs ?? 0);
    this.delayed.push({ dueMs, send });
    if (this.delayed.length === 1) this.sendDelayedWhenDue();
  }

  /** Sends the delayed messages that are due, in order, then waits for the next one. */
  private sendDelayedWhenDue(): void {
    const next = this.delayed[0];
    if (!next) return;
    this.o.timers.setTimeout(
      () => {
        while (this.delayed.length > 0 && this.delayed[0]!.dueMs <= Date.now()) this.delayed.shift()!.send();
        this.sendDelayedWhenDue();
      },
      Math.max(0, next.dueMs - Date.now()),
    );
  }

  /** Sends backlog pieces while the window allows; calls itself from the write callbacks. */
  pump(): void {
    while (this.catchingUp && this.open) {
      const target = this.source.releasedLength();
      if (this.sentBytes >= target) {
        this.caughtUp();
        return;
      }
      if (this.inFlight >= this.o.windowBytes) {
        this.armStall();
        return;
      }
      const to = Math.min(target, this.sentBytes + this.o.pieceBytes);
      const message = chunkMessage(this.sentBytes, this.source.readMasked(this.sentBytes, to));
      this.sentBytes = to;
      this.inFlight += message.byteLength;
      this.socket.send(message, { binary: false }, () => {
        this.inFlight -= message.byteLength;
        this.clearStall();
        this.pump();
      });
    }
  }

  /**
   * Bytes it lacks were released while it was live (the channel started over from the store after
   * missed messages): it catches up from the store again, live chunks waiting meanwhile.
   */
  resume(): void {
    if (this.catchingUp || !this.open || this.sentBytes >= this.source.releasedLength()) return;
    this.catchingUp = true;
    this.pump();
  }

  private caughtUp(): void {
    this.catchingUp = false;
    this.clearStall();
    for (const m of this.held.splice(0)) this.socket.send(m, { binary: false });
    if (this.endAfterHeld) this.closeNormally();
  }

  private closeNormally(): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.close(CLOSE_CODES.NORMAL, "build complete");
  }

  private armStall(): void {
    if (this.stallTimer !== undefined) return;
    this.stallTimer = this.o.timers.setTimeout(() => {
      this.stallTimer = undefined;
      this.tooSlow();
    }, this.o.stallMs);
  }

  private clearStall(): void {
    if (this.stallTimer === undefined) return;
    this.o.timers.clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
  }

  /** The build was deleted: BUILD_DELETED after what is buffered, and nothing more from the store. */
  gone(): void {
    if (this.closing) return;
    this.closing = true;
    this.clearStall();
    this.socket.close(CLOSE_CODES.BUILD_DELETED, "the build was deleted with its pipeline");
    const timer = this.o.timers.setTimeout(() => this.socket.terminate(), this.o.closeTimeoutMs);
    this.socket.once("close", () => this.o.timers.clearTimeout(timer));
  }

  /** WATCHER_TOO_SLOW after what is buffered; destroyed only if the close never gets through. */
  private tooSlow(): void {
    if (this.closing) return;
    this.closing = true;
    this.clearStall();
    this.socket.close(CLOSE_CODES.WATCHER_TOO_SLOW, "watcher too slow; resume from your offset");
    const timer = this.o.timers.setTimeout(() => this.socket.terminate(), this.o.closeTimeoutMs);
    this.socket.once("close", () => this.o.timers.clearTimeout(timer));
  }
}
