// Two real servers on one SQLite data directory (WAL lets both open it) joined by the PostgreSQL bus, as
// servers on several machines share one PostgreSQL (issue #16, "Many servers, one truth"): a trace
// written through A reaches B's watchers live and byte-exact, a cancel through B reaches A's runner within
// a second, B's cached reads and event sockets follow A's writes, and one watchdog runs for both. Last,
// two servers on one PostgreSQL store: there A's trace statement itself tells B (async-trace-writer.ts).

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  EVENTS_WS_PATH,
  type ServerToEventsWatcherMessage,
  type ServerToWatcherMessage,
} from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type RunningServer, type StartServerOptions, startServer } from "../start-server.js";
import { terminateBackends, testPostgresUrl, uniqueChannel } from "../test-support/cluster-postgres.js";
import {
  connectRunner,
  connectWatcher,
  openClient,
  type ProtocolClient,
} from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../test-support/runner-seed.js";
import { api } from "../test-support/start-test-server.js";
import { applicationNameOf } from "./postgres-cluster-bus.js";

let dataDir: string;
let channel: string;
const servers: RunningServer[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-cluster-"));
  channel = uniqueChannel();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

/** A server on the shared data directory, in the test's cluster (the first one loads the seed). */
async function join(options: StartServerOptions = {}): Promise<RunningServer> {
  const server = await startServer({
    dataDir,
    seedText: RUNNER_SEED,
    log: () => {},
    controls: false,
    webUiDir: false,
    cluster: { postgres: testPostgresUrl(), channel, minBackoffMs: 20, maxBackoffMs: 200, leaderRetryMs: 50 },
    ...options,
  });
  servers.push(server);
  return server;
}

/** A runner on `server` that claimed build 2, and a way to append to its trace. */
async function runBuild2(server: RunningServer) {
  const { client } = await connectRunner(server, T.shared);
  client.send({ type: "claim", requestId: "r" });
  const job = await client.nextOf("job");
  expect(job.job.id).toBe(2);
  let offset = 0;
  const write = async (bytes: Buffer) => {
    client.send({ type: "trace", buildId: 2, offset, data: bytes.toString("base64") });
    offset = (await client.nextOf("traceAck")).length;
  };
  return { client, write, offset: () => offset };
}

/** The next chunk's bytes (skipping status messages), checking it starts at `at`. */
async function nextChunk(w: ProtocolClient<ServerToWatcherMessage>, at: number): Promise<Buffer> {
  const m = await w.nextOf("chunk", ["status"]);
  expect(m.offset).toBe(at);
  return Buffer.from(m.data, "base64");
}

/** Reads chunks until `at` bytes have arrived. */
async function readUntil(w: ProtocolClient<ServerToWatcherMessage>, from: number, to: number) {
  const parts: Buffer[] = [];
  for (let at = from; at < to; ) {
    const part = await nextChunk(w, at);
    parts.push(part);
    at += part.byteLength;
  }
  return Buffer.concat(parts);
}

describe("servers sharing one database through the PostgreSQL bus", () => {
  it("stream a trace written through A to a watcher on B live and byte-exact, chunks far over NOTIFY's 8000 bytes included", async () => {
    const a = await join();
    const b = await join();
    const runner = await runBuild2(a);
    const watcher = await connectWatcher(b, { project: 1, build: 2, token: T.admin });
    expect(await watcher.nextOf("status")).toEqual({ type: "status", status: "running" });
    const reads = vi.spyOn(b.store.traces, "readRange");
    // Live: each chunk arrives at B before the next one is written.
    const first = Buffer.from("$ make\nbuilding…\n");
    await runner.write(first);
    expect(await readUntil(watcher, 0, first.byteLength)).toEqual(first);
    const binary = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await runner.write(binary);
    expect(await readUntil(watcher, first.byteLength, first.byteLength + 256)).toEqual(binary);
    // Whole lines: a trace that stops on a character that may begin the build's token (hex) keeps that
    // tail back from watchers until more bytes or the build's end show it is no secret.
    const line = "0123456789abcdef\n";
    // 100 KiB, over NOTIFY's 8000 bytes: it rides in 4 KiB pieces, one bus message each.
    const mid = Buffer.alloc(6_000 * line.length, line);
    await runner.write(mid);
    const midAt = first.byteLength + 256;
    expect((await readUntil(watcher, midAt, midAt + mid.byteLength)).equals(mid)).toBe(true);
    // Appends up to 256 KiB ride in bus messages: B did not read them back from the database.
    expect(reads).not.toHaveBeenCalled();
    const big = Buffer.alloc(18_070 * line.length, line);
    await runner.write(big);
    const at = midAt + mid.byteLength;
    expect((await readUntil(watcher, at, at + big.byteLength)).equals(big)).toBe(true);
    // A large one is too big for NOTIFY: B read it from the shared store.
    expect(reads).toHaveBeenCalledWith(2, at, at + big.byteLength);
    runner.client.send({
      type: "finish",
      buildId: 2,
      state: "success",
      exitCode: 0,
      traceBytes: runner.offset(),
    });
    expect((await runner.client.nextOf("finishAck")).status).toBe("success");
    expect(await watcher.nextOf("end", ["status"])).toEqual({
      type: "end",
      status: "success",
      length: runner.offset(),
    });
  });

  // How soon is a figure for the README (15–34 ms measured), not a timed assertion: a loaded CI machine
  // stretches any bound. What must hold is that it arrives, through the bus alone.
  it("deliver a cancel sent through B's API to the runner connected to A", async () => {
    const a = await join();
    const b = await join();
    const runner = await runBuild2(a);
    // POST /projects/:id/jobs/:job_id/cancel answers 201 (https://docs.gitlab.com/ee/api/jobs.html#cancel-a-job).
    const res = await api(b, "/api/v4/projects/1/jobs/2/cancel", { method: "POST", token: T.admin });
    expect(res.status).toBe(201);
    expect(await runner.client.nextOf("cancel")).toEqual({ type: "cancel", buildId: 2, reason: "canceled" });
  });

  it("make B's cached reads and B's event sockets show a write committed through A", async () => {
    const a = await join();
    const b = await join();
    const events = await openClient<ServerToEventsWatcherMessage>(
      `${b.url.replace(/^http/, "ws")}${EVENTS_WS_PATH}?project=1`,
      { "PRIVATE-TOKEN": T.admin },
    );
    const read = async () =>
      ((await (await api(b, "/api/v4/projects/1/jobs/2", { token: T.admin })).json()) as { status: string })
        .status;
    // A list B keeps a window of: which pending jobs it holds, and how many.
    const pending = async () => {
      const r = await api(b, "/api/v4/projects/1/jobs?scope[]=pending", { token: T.admin });
      return {
        total: r.headers.get("x-total"),
        ids: ((await r.json()) as { id: number }[]).map((j) => j.id),
      };
    };
    // Twice: the second read is served from B's read cache.
    expect(await read()).toBe("pending");
    expect(await read()).toBe("pending");
    const listed = await pending();
    expect(listed.ids).toContain(2);
    expect(await pending()).toEqual(listed);
    const heard = b.store.changes.remoteApplied;
    const res = await api(a, "/api/v4/projects/1/jobs/2/cancel", { method: "POST", token: T.admin });
    expect(res.status).toBe(201);
    expect(await events.nextOf("job", ["pipeline"])).toEqual({
      type: "job",
      id: 2,
      pipeline_id: 1,
      status: "canceled",
    });
    await vi.waitFor(() => expect(b.store.changes.remoteApplied).toBeGreaterThan(heard));
    expect(await read()).toBe("canceled");
    expect(await pending()).toEqual({
      total: String(Number(listed.total) - 1),
      ids: listed.ids.filter((id) => id !== 2),
    });
    await events.close();
  });

  it("run the stuck-build watchdog and the delayed jobs' catch-up sweep on one server only, and on the other once the first is gone", async () => {
    const realtime = { sweepIntervalMs: 20 };
    const a = await join({ realtime });
    await vi.waitFor(() => expect(a.cluster.isLeader()).toBe(true), { timeout: 10_000 });
    const b = await join({ realtime });
    const sweepsA = vi.spyOn(a.store.builds, "listRunningAfter");
    const sweepsB = vi.spyOn(b.store.builds, "listRunningAfter");
    const countdownsA = vi.spyOn(a.store.builds, "listScheduledDue");
    const countdownsB = vi.spyOn(b.store.builds, "listScheduledDue");
    await vi.waitFor(() => expect(sweepsA.mock.calls.length).toBeGreaterThanOrEqual(5));
    expect(countdownsA.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(b.cluster.isLeader()).toBe(false);
    expect(sweepsB).not.toHaveBeenCalled();
    expect(countdownsB).not.toHaveBeenCalled();
    await a.close();
    await vi.waitFor(() => expect(sweepsB.mock.calls.length).toBeGreaterThanOrEqual(5), { timeout: 10_000 });
    expect(countdownsB.mock.calls.length).toBeGreaterThanOrEqual(4);
    expect(b.cluster.isLeader()).toBe(true);
  });

  it("keep a build alive on the leader while its runner heartbeats to the other server, and fail it once it falls silent", async () => {
    const realtime = { sweepIntervalMs: 20, heartbeatTimeoutMs: 600 };
    const leader = await join({ realtime });
    await vi.waitFor(() => expect(leader.cluster.isLeader()).toBe(true), { timeout: 10_000 });
    const other = await join({ realtime });
    const runner = await runBuild2(other);
    await runner.write(Buffer.from("started\n"));
    // Three timeouts' worth of heartbeats through the other server.
    for (let i = 0; i < 12; i++) {
      runner.client.send({ type: "heartbeat", buildIds: [2] });
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(leader.store.builds.get(2)?.status).toBe("running");
    // Silent: the leader fails it (it ran: it has trace bytes), and the runner hears the cancel.
    expect(await runner.client.nextOf("cancel", ["traceAck"])).toMatchObject({ buildId: 2 });
    expect(leader.store.builds.get(2)).toMatchObject({
      status: "failed",
      failureReason: "runner_system_failure",
    });
  });

  it("survive the bus connection being terminated: B listens again and its watcher gets what A wrote meanwhile", async () => {
    const a = await join();
    const b = await join();
    const runner = await runBuild2(a);
    const watcher = await connectWatcher(b, { project: 1, build: 2, token: T.admin });
    const before = Buffer.from("before\n");
    await runner.write(before);
    expect(await readUntil(watcher, 0, before.byteLength)).toEqual(before);
    // B's resync after reconnecting drops its caches: a new global generation (A's trace appends never make one).
    const generation = b.store.changes.global;
    expect(await terminateBackends(applicationNameOf("bus", b.cluster.serverId))).toBe(1);
    const during = Buffer.from("during the outage\n");
    await runner.write(during);
    const after = Buffer.from("after\n");
    // Whatever B missed while away, its watcher ends up with every byte, in order.
    const rest = readUntil(
      watcher,
      before.byteLength,
      before.byteLength + during.byteLength + after.byteLength,
    );
    await vi.waitFor(() => expect(b.store.changes.global).toBeGreaterThan(generation), { timeout: 10_000 });
    // B listens again: what A writes now reaches it through the bus.
    await runner.write(after);
    expect(await rest).toEqual(Buffer.concat([during, after]));
  });

  it("survive every connection being cut at once, as by a PostgreSQL restart: one leader again, cancels delivered again", async () => {
    const a = await join();
    const b = await join();
    const runner = await runBuild2(a);
    const generations = [a.store.changes.global, b.store.changes.global];
    let cut = 0;
    for (const server of [a, b])
      for (const role of ["bus", "leader"] as const)
        cut += await terminateBackends(applicationNameOf(role, server.cluster.serverId));
    expect(cut).toBe(4);
    // Both came back by themselves and resynced (a new global generation each).
    await vi.waitFor(
      () =>
        expect([a.store.changes.global, b.store.changes.global].map((g, i) => g > generations[i]!)).toEqual([
          true,
          true,
        ]),
      { timeout: 10_000 },
    );
    await vi.waitFor(() => expect([a, b].filter((s) => s.cluster.isLeader())).toHaveLength(1), {
      timeout: 10_000,
    });
    const res = await api(b, "/api/v4/projects/1/jobs/2/cancel", { method: "POST", token: T.admin });
    expect(res.status).toBe(201);
    expect(await runner.client.nextOf("cancel")).toEqual({ type: "cancel", buildId: 2, reason: "canceled" });
  });

  it("deliver a cancel made while the runner's server was cut off from the bus once that server is back", async () => {
    // A reconnects only after half a second: the cancel's NOTIFY goes out while A is not listening.
    const a = await join({
      cluster: {
        postgres: testPostgresUrl(),
        channel,
        minBackoffMs: 500,
        maxBackoffMs: 500,
        leaderRetryMs: 50,
      },
    });
    const b = await join();
    const runner = await runBuild2(a);
    const generation = a.store.changes.global;
    expect(await terminateBackends(applicationNameOf("bus", a.cluster.serverId))).toBe(1);
    const res = await api(b, "/api/v4/projects/1/jobs/2/cancel", { method: "POST", token: T.admin });
    expect(res.status).toBe(201);
    expect(a.store.changes.global).toBe(generation);
    // A's resync finds the build it runs canceled in the store and tells its runner.
    expect(await runner.client.nextOf("cancel")).toEqual({ type: "cancel", buildId: 2, reason: "canceled" });
    expect(a.store.changes.global).toBeGreaterThan(generation);
  });
});

describe("servers sharing one PostgreSQL store", () => {
  it("tell B's watcher of what A's trace statement stored in that statement's commit, in order and byte-exact, small and large appends interleaved", async () => {
    const db = `${testPostgresUrl()}?schema=${uniqueChannel()}`;
    const a = await join({ db, cluster: undefined });
    const b = await join({ db, cluster: undefined });
    const told: boolean[] = [];
    a.events.on("traceAppended", (e) => told.push(e.toldCluster === true));
    const runner = await runBuild2(a);
    const watcher = await connectWatcher(b, { project: 1, build: 2, token: T.admin });
    expect(await watcher.nextOf("status")).toEqual({ type: "status", status: "running" });
    const line = "0123456789abcdef\n";
    // Small, 100 KiB (several NOTIFYs in one commit), over 256 KiB (offsets only: B reads the store),
    // then small again: every one told by the statement that stored it, so B hears them in commit order.
    const sizes = [1, 6_000, 18_070, 2, 1];
    let at = 0;
    for (const lines of sizes) {
      const bytes = Buffer.alloc(lines * line.length, line);
      await runner.write(bytes);
      expect((await readUntil(watcher, at, at + bytes.byteLength)).equals(bytes)).toBe(true);
      at += bytes.byteLength;
    }
    expect(told).toEqual(sizes.map(() => true));
    expect(
      (await api(b, "/api/v4/projects/1/jobs/2/trace", { token: T.admin })).headers.get("content-length"),
    ).toBe(String(at));
  });
});
