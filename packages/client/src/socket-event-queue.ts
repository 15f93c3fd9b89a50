// Turns a WebSocket's callbacks into an ordered async stream of events the trace watcher can `await`.

import { upgradeRefusalOf, type WebSocketLike } from "./web-socket-factory.js";

/** One thing that happened on a socket, in arrival order. */
export type SocketEvent =
  | { kind: "open" }
  | { kind: "message"; data: string }
  | { kind: "error"; message: string; httpStatus: number | null }
  | { kind: "close"; code: number; reason: string };

/** Buffers a socket's events; `next()` resolves with the next one. After `close` nothing more arrives. */
export class SocketEventQueue {
  readonly #events: SocketEvent[] = [];
  #waiter: ((event: SocketEvent) => void) | null = null;
  #closed = false;

  constructor(socket: WebSocketLike) {
    const decoder = new TextDecoder();
    socket.onopen = () => this.#push({ kind: "open" });
    socket.onmessage = (event) => {
      const { data } = event;
      const text =
        typeof data === "string"
          ? data
          : data instanceof ArrayBuffer || ArrayBuffer.isView(data)
            ? decoder.decode(data as ArrayBuffer)
            : String(data);
      this.#push({ kind: "message", data: text });
    };
    socket.onerror = (event) => {
      const refusal = upgradeRefusalOf(socket);
      const message = refusal?.message ?? errorMessageOf(event);
      this.#push({ kind: "error", message, httpStatus: refusal?.status ?? upgradeStatusOf(message) });
    };
    socket.onclose = (event) => {
      this.#push({ kind: "close", code: event.code, reason: event.reason });
      this.#closed = true;
    };
  }

  #push(event: SocketEvent): void {
    if (this.#closed) return;
    const waiter = this.#waiter;
    if (waiter) {
      this.#waiter = null;
      waiter(event);
    } else {
      this.#events.push(event);
    }
  }

  /** The next event, waiting for it if none is buffered. */
  next(): Promise<SocketEvent> {
    const event = this.#events.shift();
    if (event) return Promise.resolve(event);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** Ends the stream with a synthetic close (used when the caller aborts). */
  interrupt(code: number, reason: string): void {
    this.#push({ kind: "close", code, reason });
    this.#closed = true;
  }
}

function errorMessageOf(event: unknown): string {
  if (event && typeof event === "object") {
    const record = event as { message?: unknown; error?: unknown };
    if (typeof record.message === "string") return record.message;
    if (record.error instanceof Error) return record.error.message;
  }
  return "WebSocket error";
}

// `ws` reports a refused upgrade as "Unexpected server response: 404"; browsers report nothing.
function upgradeStatusOf(message: string): number | null {
  const match = /Unexpected server response: (\d{3})/.exec(message);
  return match ? Number(match[1]) : null;
}
