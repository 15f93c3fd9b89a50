// What the request journal is told of one request, gathered as the request goes: its body once read,
// the fault that took it, and its answer.

import type { IncomingMessage } from "node:http";
import type { FinishedRequest } from "./request-journal.js";

/** Who hears about each request once it has been answered (the request journal). */
export interface RequestObserver {
  /** Whether to report a request to this raw URL (the controls' own requests are not). */
  observes(rawUrl: string): boolean;
  /** The request was answered (or its connection ended). */
  ended(request: FinishedRequest): void;
  /** The server's time, epoch ms (`startedAt`). */
  nowMs(): number;
}

/** What the observer will be told of one request, gathered as it goes. */
export class ObservedRequest {
  private readonly startedAtMs: number;
  private readonly startedAt = performance.now();
  private body: Buffer | undefined;
  /** The declared length until the body is read (a refused body is never read). */
  private bodyBytes: number;
  constructor(
    private readonly req: IncomingMessage,
    private readonly id: string,
    private readonly observer: RequestObserver,
  ) {
    this.startedAtMs = observer.nowMs();
    const declared = Number(req.headers["content-length"] ?? 0);
    this.bodyBytes = Number.isSafeInteger(declared) && declared > 0 ? declared : 0;
  }
  read(body: Buffer): void {
    this.body = body;
    this.bodyBytes = body.byteLength;
  }
  private fault: string | undefined;
  faulted(id: string): void {
    this.fault = id;
  }
  uploaded(size: number): void {
    this.bodyBytes = size;
  }
  answered(status: number, responseBytes: number): void {
    this.observer.ended({
      id: this.id,
      method: this.req.method ?? "GET",
      rawUrl: this.req.url ?? "/",
      headers: this.req.headers,
      body: this.body,
      bodyBytes: this.bodyBytes,
      status,
      responseBytes,
      startedAtMs: this.startedAtMs,
      durationMs: performance.now() - this.startedAt,
      ...(this.fault === undefined ? {} : { fault: this.fault }),
    });
  }
}
