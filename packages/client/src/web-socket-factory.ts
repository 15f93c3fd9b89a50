// Opening a WebSocket in Node (the `ws` package, imported lazily, with auth headers) or a browser (global WebSocket).

import { parseErrorMessage } from "./client-error.js";

// Method syntax makes the parameter bivariant, so the DOM's and `ws`'s richer event types both fit.
type Handler<E> = { handle(event: E): void }["handle"];

/** The part of a WebSocket the trace watcher uses: both `ws` and the browser's WebSocket have it. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onerror: Handler<unknown> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  close(code?: number, reason?: string): void;
}

/**
 * A WebSocket constructor: the browser's (`new WebSocket(url)`) or `ws`'s (`new WebSocket(url,
 * { headers })`).
 */
export type WebSocketConstructorLike = new (url: string, optionsOrProtocols?: never) => WebSocketLike;

/** Opens a socket to `url`, sending `headers` when the implementation can. */
export type WebSocketFactory = (
  url: string,
  headers: Readonly<Record<string, string>>,
) => Promise<WebSocketLike>;

export interface WebSocketFactoryOptions {
  /** A WebSocket constructor to use instead of `ws` (Node) or `globalThis.WebSocket` (browsers). */
  WebSocket?: WebSocketConstructorLike;
  /**
   * Whether the constructor takes `{ headers }` as its second argument (true for `ws`). When false the
   * token travels as the `private_token` query parameter instead.
   * @default true for the built-in `ws`, false for an injected or browser constructor
   */
  webSocketHeaders?: boolean;
}

/** How a socket is opened: the factory, and whether it carries headers (else the token goes in the URL). */
export interface ResolvedWebSocketFactory {
  open: WebSocketFactory;
  supportsHeaders: boolean;
}

const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";

/** A refused upgrade as the server answered it (only the built-in `ws` path can see this). */
export interface UpgradeRefusal {
  status: number;
  /** GitLab's error text from the response body. */
  message: string;
}

const refusals = new WeakMap<object, UpgradeRefusal>();

/** How the server refused `socket`'s upgrade, when it did and the implementation could tell. */
export function upgradeRefusalOf(socket: WebSocketLike): UpgradeRefusal | undefined {
  return refusals.get(socket);
}

/** Picks the WebSocket implementation: injected, else `ws` in Node, else the browser's global. */
export function resolveWebSocketFactory(options: WebSocketFactoryOptions = {}): ResolvedWebSocketFactory {
  const injected = options.WebSocket;
  if (injected) {
    const supportsHeaders = options.webSocketHeaders ?? false;
    return {
      supportsHeaders,
      open: async (url, headers) =>
        supportsHeaders
          ? new (injected as unknown as new (url: string, options: unknown) => WebSocketLike)(url, {
              headers,
            })
          : new injected(url),
    };
  }
  if (isNode) {
    return {
      supportsHeaders: options.webSocketHeaders ?? true,
      open: async (url, headers) => {
        // Imported here, not at the top, so browser bundles never need `ws`.
        const { default: WebSocket } = await import("ws");
        const socket = new WebSocket(url, { headers: { ...headers } });
        // Read a refused upgrade's body so the error carries GitLab's message, then fail the socket.
        socket.on("unexpected-response", (_request, response) => {
          let body = "";
          response.setEncoding("utf8");
          response.on("data", (text: string) => {
            body += text;
          });
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            const message = parseErrorMessage(body, response.headers["content-type"] ?? null);
            refusals.set(socket, { status, message: message || `Unexpected server response: ${status}` });
            socket.terminate();
          });
          response.on("error", () => socket.terminate());
        });
        return socket as unknown as WebSocketLike;
      },
    };
  }
  return {
    supportsHeaders: false,
    open: async (url) => {
      const Global = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket;
      if (!Global) throw new Error("No WebSocket implementation: pass `WebSocket` in the client options");
      return new Global(url);
    },
  };
}
