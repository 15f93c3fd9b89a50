// Feeds trace bytes into a TraceModel in slices that fit a frame, so a 5 MB log paints its first lines at
// once and a fast live job never blocks the page for long (each slice stays well under 50 ms).

import type { TraceModel } from "./trace-model.js";

/** Most bytes parsed in one go before yielding to the browser. */
export const SLICE_BYTES = 16 * 1024;
/**
 * Parsing time per task, in wall-clock ms. Small, because on a busy machine a task's wall time can be
 * several times its CPU time, and a long task is counted in wall time.
 */
export const SLICE_BUDGET_MS = 8;

/** Queues bytes and parses them slice by slice; `onChange` runs after each slice that added lines. */
export class LogFeeder {
  readonly #queue: Uint8Array[] = [];
  #scheduled = false;
  readonly #channel = new MessageChannel();

  constructor(
    readonly model: TraceModel,
    private readonly onChange: () => void,
  ) {
    // A message-channel task runs sooner than setTimeout(0), which browsers clamp after nesting.
    this.#channel.port1.onmessage = () => this.#pump();
  }

  /** Queues the next bytes of the trace. */
  push(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.byteLength; at += SLICE_BYTES) {
      this.#queue.push(bytes.subarray(at, Math.min(bytes.byteLength, at + SLICE_BYTES)));
    }
    this.#schedule();
  }

  /** Stops parsing (the page is leaving). */
  close(): void {
    this.#queue.length = 0;
    this.#channel.port1.close();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#channel.port2.postMessage(0);
  }

  #pump(): void {
    this.#scheduled = false;
    const started = performance.now();
    // Small live chunks are merged into one slice; big ones were cut at push.
    while (this.#queue.length > 0 && performance.now() - started < SLICE_BUDGET_MS) {
      this.model.append(this.#queue.shift()!);
    }
    this.onChange();
    if (this.#queue.length > 0) this.#schedule();
  }
}
