// The trace bytes of one build that the server has not acknowledged yet, and which of them to send next.
// Memory is bounded: past `maxMemoryBytes` of unacknowledged bytes, new bytes go to a spill file until the
// server has caught up with everything (then memory is used again). Nothing unacknowledged is dropped.

import type { TraceSpill } from "./trace-spill-file.js";

/** Unacknowledged trace bytes kept in memory per build before spilling to disk: 8 MiB. */
export const DEFAULT_TRACE_MEMORY_BYTES = 8 * 1024 * 1024;

/** What applying a server's acknowledged length did. */
export type TraceAckResult = "ok" | "lost" | "ahead";

/** One trace message to send: `data` starts at byte `offset` of the build's trace. */
export interface TraceSlice {
  offset: number;
  data: Buffer;
}

/**
 * Keeps a build's unacknowledged trace bytes and decides what to send, one message in flight at a time.
 *
 * One message in flight (stop-and-wait) is what makes gaps unambiguous: every acknowledgement answers
 * the message in flight, so a length below that message's end always means "resend from here", and
 * bytes written while waiting are batched into the next message (fewer, larger writes for the server).
 */
export class TraceOutbox {
  /** Bytes the server holds (acknowledged); everything below is forgotten. */
  ackedBytes: number;
  /** Bytes the job has produced so far. */
  totalBytes: number;
  private chunks: Buffer[] = [];
  /** Index of the first chunk still held; dropping moves it instead of shifting the array (O(1)). */
  private head = 0;
  private inFlightEnd: number | null = null;
  /** Trace offset where the spill file starts (bytes from there on are on disk), or null when not spilling. */
  private spillStart: number | null = null;
  private spill: TraceSpill | null = null;

  constructor(
    startOffset = 0,
    private readonly maxMemoryBytes = DEFAULT_TRACE_MEMORY_BYTES,
    private readonly createSpill: (() => TraceSpill) | null = null,
  ) {
    this.ackedBytes = startOffset;
    this.totalBytes = startOffset;
  }

  /** Where the in-memory bytes end: the spill's start, or the end of the trace. */
  private get memoryEnd(): number {
    return this.spillStart ?? this.totalBytes;
  }

  /** Unacknowledged bytes held in memory (the bound applies to this). */
  get memoryBytes(): number {
    return Math.max(0, this.memoryEnd - this.ackedBytes);
  }

  /** Unacknowledged bytes on disk. */
  get spilledBytes(): number {
    return this.spillStart === null ? 0 : this.totalBytes - this.spillStart;
  }

  /** Queues bytes at the end of the trace. */
  append(data: Uint8Array): void {
    if (data.byteLength === 0) return;
    if (
      this.spillStart === null &&
      this.createSpill &&
      this.memoryBytes + data.byteLength > this.maxMemoryBytes
    ) {
      this.spill ??= this.createSpill();
      this.spillStart = this.totalBytes;
    }
    if (this.spillStart !== null) this.spill!.append(data);
    else this.chunks.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    this.totalBytes += data.byteLength;
  }

  /** Releases the spill file (the build is done with). */
  dispose(): void {
    this.spill?.close();
    this.spill = null;
  }

  /** True when the server holds every byte produced so far. */
  get settled(): boolean {
    return this.ackedBytes === this.totalBytes;
  }

  /** True while a message waits for its acknowledgement. */
  get waiting(): boolean {
    return this.inFlightEnd !== null;
  }

  /** The next message (at most `maxBytes`), or null when one is in flight or nothing is left to send. */
  next(maxBytes: number): TraceSlice | null {
    if (this.inFlightEnd !== null || this.settled) return null;
    if (this.ackedBytes >= this.memoryEnd) {
      // Memory is drained: the next message comes from the spill file.
      const data = this.spill!.read(this.ackedBytes - this.spillStart!, maxBytes);
      this.inFlightEnd = this.ackedBytes + data.byteLength;
      return { offset: this.ackedBytes, data };
    }
    // A message never mixes memory and spill bytes.
    const limit = Math.min(maxBytes, this.memoryEnd - this.ackedBytes);
    const parts: Buffer[] = [];
    let size = 0;
    for (let i = this.head; i < this.chunks.length && size < limit; i++) {
      const chunk = this.chunks[i]!;
      const take = Math.min(chunk.byteLength, limit - size);
      parts.push(take === chunk.byteLength ? chunk : chunk.subarray(0, take));
      size += take;
    }
    this.inFlightEnd = this.ackedBytes + size;
    return { offset: this.ackedBytes, data: parts.length === 1 ? parts[0]! : Buffer.concat(parts, size) };
  }

  /**
   * Applies the server's persisted length. Below what it acknowledged before, the bytes are gone
   * (`lost`); beyond what the job produced, the server is confused (`ahead`). A length short of the
   * message in flight is a gap: the next message starts again at `length`.
   */
  ack(length: number): TraceAckResult {
    if (length < this.ackedBytes) return "lost";
    if (length > this.totalBytes) return "ahead";
    this.drop(Math.max(0, Math.min(length, this.memoryEnd) - this.ackedBytes));
    this.ackedBytes = length;
    this.inFlightEnd = null;
    // The server caught up with everything: later bytes go to memory again, from a fresh spill.
    if (this.spillStart !== null && this.settled) {
      this.spillStart = null;
      this.dispose();
    }
    return "ok";
  }

  /** Forgets the message in flight (its socket is gone); the next message starts at `ackedBytes`. */
  resetInFlight(): void {
    this.inFlightEnd = null;
  }

  private drop(byteCount: number): void {
    let left = byteCount;
    while (left > 0) {
      const first = this.chunks[this.head]!;
      if (first.byteLength <= left) {
        this.head++;
        left -= first.byteLength;
      } else {
        this.chunks[this.head] = first.subarray(left);
        left = 0;
      }
    }
    if (this.head > 1024 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
