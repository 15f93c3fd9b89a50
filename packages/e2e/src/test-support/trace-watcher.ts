// A trace watcher over WebSocket for end-to-end tests: collects the bytes in order and lets a test await
// a piece of text or the end of the build.

import { type ServerToWatcherMessage, TRACE_WS_PATH } from "@buildsim/core";
import WebSocket from "ws";

/** A connected watcher. */
export interface TraceWatcher {
  /** The bytes received so far, from the watcher's starting offset. */
  bytes(): Buffer;
  /** The chunks as received (offset, length). */
  chunks: Array<{ offset: number; length: number }>;
  /** Resolves once the collected text contains `text` (or matches it, for a RegExp). */
  waitFor(text: string | RegExp): Promise<void>;
  /** Resolves with `end`; rejects if the socket closes without one. */
  ended: Promise<Extract<ServerToWatcherMessage, { type: "end" }>>;
  close(): void;
}

/** Watches build `build` of project `project` from `offset`. */
export function watchTrace(
  url: string,
  q: { project: number; build: number; token: string; offset?: number },
) {
  const params = new URLSearchParams({
    project: String(q.project),
    build: String(q.build),
    offset: String(q.offset ?? 0),
  });
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}${TRACE_WS_PATH}?${params}`, {
    headers: { "PRIVATE-TOKEN": q.token },
  });
  const parts: Buffer[] = [];
  const chunks: TraceWatcher["chunks"] = [];
  const waiters: Array<{ text: string | RegExp; resolve: () => void }> = [];
  const found = (wanted: string | RegExp) =>
    typeof wanted === "string" ? text.includes(wanted) : wanted.test(text);
  let text = "";
  let resolveEnd!: (m: Extract<ServerToWatcherMessage, { type: "end" }>) => void;
  let rejectEnd!: (e: Error) => void;
  const ended = new Promise<Extract<ServerToWatcherMessage, { type: "end" }>>((resolve, reject) => {
    resolveEnd = resolve;
    rejectEnd = reject;
  });
  // A test that never awaits the end (a server it kills, say) must not get an unhandled rejection from
  // it; a test that does await it still sees the rejection.
  ended.catch(() => {});
  let sawEnd = false;
  socket.on("message", (data) => {
    const m = JSON.parse(data.toString()) as ServerToWatcherMessage;
    if (m.type === "chunk") {
      const bytes = Buffer.from(m.data, "base64");
      parts.push(bytes);
      chunks.push({ offset: m.offset, length: bytes.byteLength });
      text += bytes.toString("latin1");
      for (const w of [...waiters])
        if (found(w.text)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
    } else if (m.type === "end") {
      sawEnd = true;
      resolveEnd(m);
    }
  });
  socket.on("error", () => {});
  socket.on("close", (code) => {
    if (!sawEnd) rejectEnd(new Error(`watcher closed (${code}) before end`));
  });
  const watcher: TraceWatcher = {
    bytes: () => Buffer.concat(parts),
    chunks,
    waitFor: (wanted) =>
      found(wanted)
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => waiters.push({ text: wanted, resolve })),
            ended.then(() => {
              throw new Error(`build ended without ${String(wanted)} in its trace:\n${text}`);
            }),
          ]),
    ended,
    close: () => socket.terminate(),
  };
  return new Promise<TraceWatcher>((resolve, reject) => {
    socket.once("open", () => resolve(watcher));
    socket.once("unexpected-response", (_req, res) =>
      reject(new Error(`watcher refused: HTTP ${res.statusCode}`)),
    );
  });
}
