// Nothing acknowledged is lost: a protocol client streams trace chunks to a server process, the server
// is killed with SIGKILL while chunks are in flight, and the database must hold every acknowledged byte
// (and nothing that was not sent).

import { PROTOCOL_VERSION, RUNNER_WS_PATH, type ServerToRunnerMessage } from "@buildsim/core";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { E2E_TOKENS, e2eSeed } from "./test-support/e2e-seed.js";
import { exited, killAll, startServerProcess, tempDir } from "./test-support/processes.js";
import { openStoreOf } from "./test-support/test-dirs.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  killAll();
  for (const c of cleanups.splice(0)) c();
});

describe("a server killed with SIGKILL", () => {
  it("keeps every trace byte it acknowledged", async () => {
    const data = tempDir("buildsim-e2e-acked-");
    cleanups.push(data.remove);
    const server = await startServerProcess({
      dataDir: data.dir,
      port: 0,
      seed: e2eSeed(["true"]),
      heartbeatTimeoutMs: 60_000,
    });
    const socket = new WebSocket(`${server.url.replace(/^http/, "ws")}${RUNNER_WS_PATH}`);
    const chunkBytes = 4096;
    const chunk = (i: number) => Buffer.alloc(chunkBytes, String.fromCharCode(97 + (i % 26)));
    let acked = 0;
    let sent = 0;
    const killAt = 200;
    const killed = new Promise<void>((resolve) => {
      socket.on("message", (raw) => {
        const m = JSON.parse(raw.toString()) as ServerToRunnerMessage;
        if (m.type === "welcome") socket.send(JSON.stringify({ type: "claim", requestId: "r" }));
        else if (m.type === "job") {
          // Keep 32 chunks in flight, so the kill lands while some are unacknowledged.
          for (; sent < 32; sent++)
            socket.send(
              JSON.stringify({
                type: "trace",
                buildId: 1,
                offset: sent * chunkBytes,
                data: chunk(sent).toString("base64"),
              }),
            );
        } else if (m.type === "traceAck") {
          acked = Math.max(acked, m.length);
          if (acked >= killAt * chunkBytes) {
            server.child.kill("SIGKILL");
            resolve();
            return;
          }
          socket.send(
            JSON.stringify({
              type: "trace",
              buildId: 1,
              offset: sent * chunkBytes,
              data: chunk(sent).toString("base64"),
            }),
          );
          sent++;
        }
      });
    });
    socket.on("open", () =>
      socket.send(JSON.stringify({ type: "hello", protocol: PROTOCOL_VERSION, token: E2E_TOKENS.runner })),
    );
    socket.on("error", () => {});
    await killed;
    await exited(server.child);
    socket.terminate();
    const store = openStoreOf(data.dir);
    try {
      const trace = store.traces.read(1);
      expect(trace.byteLength).toBeGreaterThanOrEqual(acked);
      expect(trace.byteLength).toBeLessThanOrEqual(sent * chunkBytes);
      expect(store.builds.get(1)!.trace.bytes).toBe(trace.byteLength);
      const expected = Buffer.concat(
        Array.from({ length: trace.byteLength / chunkBytes }, (_, i) => chunk(i)),
      );
      expect(trace.equals(expected)).toBe(true);
    } finally {
      store.close();
    }
  });
});
