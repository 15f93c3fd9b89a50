import { createClient, type TraceEvent } from "@buildsim/client";
import { type RunningServer, startServer } from "@buildsim/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { testDatabase } from "../../../scripts/test-database.mjs";
import { RunnerPeer } from "./runner-peer.js";

const ROOT_TOKEN = "e2e-root-token";
const RUNNER_TOKEN = "e2e-runner-token";
const SEED = `
users:
  - { id: 1, username: root, admin: true, tokens: [${ROOT_TOKEN}] }
projects:
  - { id: 1, path: acme/app, runners_token: E2E-RUNNERS-SECRET }
commits:
  - { project: 1, sha: "${"b".repeat(40)}", message: "stream" }
runners:
  - { id: 1, token: ${RUNNER_TOKEN}, description: shared }
pipelines:
  - { id: 1, project: 1, sha: "${"b".repeat(40)}", ref: main }
builds:
  - { id: 1, pipeline: 1, name: stream, status: pending, script: ["make"], queued_at: "2026-01-01T00:00:00.000Z" }
`;

// Ten pieces of ~1 KB each with multi-byte characters, so cuts can fall inside a character.
const PIECES = Array.from({ length: 10 }, (_, piece) =>
  new TextEncoder().encode(
    Array.from(
      { length: 20 },
      (_, line) => `\u001b[1mpiece ${piece} line ${line} ✓ ünïcode €\u001b[0m\n`,
    ).join(""),
  ),
);
const FULL = Buffer.concat(PIECES);

let server: RunningServer;
beforeEach(async () => {
  server = await startServer({ db: testDatabase("e2e"), seedText: SEED, log: () => {} });
});
afterEach(async () => {
  await server.close();
});

function contiguousBytes(events: TraceEvent[]): Buffer {
  let at = 0;
  const parts: Uint8Array[] = [];
  for (const event of events) {
    if (event.type !== "chunk") continue;
    expect(event.offset).toBe(at);
    parts.push(event.bytes);
    at += event.bytes.length;
  }
  return Buffer.concat(parts);
}

describe("watchTrace against the real server", () => {
  it("streams a live build's trace and ends with its status", async () => {
    const runner = await RunnerPeer.connect(server.url, RUNNER_TOKEN);
    const job = await runner.claim();
    await runner.trace(job.id, PIECES[0]!);
    const client = createClient({ baseUrl: server.url, token: ROOT_TOKEN });
    const events: TraceEvent[] = [];
    const watching = (async () => {
      for await (const event of client.watchTrace(1, job.id)) events.push(event);
    })();
    for (const piece of PIECES.slice(1)) await runner.trace(job.id, piece);
    expect(await runner.finish(job.id, "success")).toBe("success");
    await watching;
    runner.close();
    expect(contiguousBytes(events)).toEqual(FULL);
    expect(events.at(-1)).toEqual({ type: "end", status: "success", length: FULL.length });
  });

  it("resumes after its socket is cut mid-stream: the bytes received are exactly the trace", async () => {
    const runner = await RunnerPeer.connect(server.url, RUNNER_TOKEN);
    const job = await runner.claim();
    // A WebSocket the test can cut from the outside, as a dropped connection would.
    const sockets: WebSocket[] = [];
    const urls: string[] = [];
    class CuttableWebSocket extends WebSocket {
      constructor(url: string, options?: WebSocket.ClientOptions) {
        super(url, options);
        sockets.push(this);
        urls.push(url);
      }
    }
    const client = createClient({
      baseUrl: server.url,
      token: ROOT_TOKEN,
      WebSocket: CuttableWebSocket,
      webSocketHeaders: true,
      sleep: async () => {},
    });
    let cut: () => void = () => {};
    const cutDone = new Promise<void>((resolve) => {
      cut = resolve;
    });
    const cutAfterBytes = PIECES[0]!.length + PIECES[1]!.length + 100;
    let received = 0;
    let receivedAtCut = -1;
    const events: TraceEvent[] = [];
    const watching = (async () => {
      for await (const event of client.watchTrace(1, job.id)) {
        events.push(event);
        if (event.type === "chunk") received += event.bytes.length;
        if (receivedAtCut < 0 && received >= cutAfterBytes) {
          receivedAtCut = received;
          sockets[0]!.terminate();
          cut();
        }
      }
    })();
    for (const piece of PIECES.slice(0, 4)) await runner.trace(job.id, piece);
    await cutDone;
    for (const piece of PIECES.slice(4)) await runner.trace(job.id, piece);
    expect(await runner.finish(job.id, "failed")).toBe("failed");
    await watching;
    runner.close();

    expect(sockets.length).toBeGreaterThanOrEqual(2);
    expect(new URL(urls[1]!).searchParams.get("offset")).toBe(String(receivedAtCut));
    const bytes = contiguousBytes(events);
    expect(bytes.length).toBe(FULL.length);
    expect(bytes.equals(FULL)).toBe(true);
    expect(events.filter((e) => e.type === "end")).toEqual([
      { type: "end", status: "failed", length: FULL.length },
    ]);
  });

  it("reads a finished build's whole trace from any offset, then ends", async () => {
    const runner = await RunnerPeer.connect(server.url, RUNNER_TOKEN);
    const job = await runner.claim();
    for (const piece of PIECES) await runner.trace(job.id, piece);
    await runner.finish(job.id, "success");
    runner.close();
    const client = createClient({ baseUrl: server.url, token: ROOT_TOKEN });
    const events: TraceEvent[] = [];
    for await (const event of client.watchTrace("acme/app", job.id, { fromOffset: 1000 })) events.push(event);
    const chunks = events.filter((e) => e.type === "chunk");
    expect(chunks[0]?.offset).toBe(1000);
    expect(Buffer.concat(chunks.map((c) => c.bytes)).equals(FULL.subarray(1000))).toBe(true);
    expect(events.at(-1)).toEqual({ type: "end", status: "success", length: FULL.length });
  });

  it("fails with GitLab's status and message for an unknown token", async () => {
    const client = createClient({ baseUrl: server.url, token: "nope" });
    await expect(client.watchTrace(1, 1).next()).rejects.toMatchObject({
      code: "unauthorized",
      status: 401,
      message: "401 Unauthorized",
    });
  });
});
