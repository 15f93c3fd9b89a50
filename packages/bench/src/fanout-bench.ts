// The trace fan-out measurements: throughput through buildsim or a bare relay, and latency at a fixed rate.

import type { ServerToWatcherMessage } from "@buildsim/core";
import type WebSocket from "ws";
import { type ChildServer, open, openRunner, startChild, watcherUrl, wsUrl } from "./ws-bench-clients.js";
import { WS_BENCH_ADMIN_TOKEN, wsBenchRunnerToken } from "./ws-bench-seed.js";

const LINE_BYTES = 1024;
/** `window` value for a runner-like sender: one message in flight, lines written meanwhile coalesced. */
export const RUNNER_LIKE = 0;
/** The runner's default largest trace message (64 KiB), in lines. */
export const RUNNER_CHUNK_LINES = 64;

/** A 1 KiB line whose first bytes are `stamp`. */
const line = (stamp: string) => Buffer.from(`${`${stamp} `.padEnd(LINE_BYTES - 1, "x")}\n`);

/** The trace message for line `i` at its byte offset, as a runner sends it. */
const traceMessage = (i: number, data: Buffer) =>
  JSON.stringify({ type: "trace", buildId: 1, offset: i * LINE_BYTES, data: data.toString("base64") });

/** Where buildsim runs: one child on its own SQLite (the default), or on PostgreSQL (a fresh schema). */
export interface FanoutPlace {
  /** A postgres:// URL with a `?schema=` no other run used. */
  db: string;
  /** Watchers on a second server of the same schema, the runner on the first. */
  crossServer: boolean;
}

/** Starts one child (or two on one schema): the runner's server and the watchers'. */
async function startPlace(place?: FanoutPlace): Promise<ChildServer[]> {
  const args = place ? ["1", "1", "10", "0", place.db] : ["1", "1"];
  const first = await startChild("ws-bench-server-main.js", args);
  return place?.crossServer ? [first, await startChild("ws-bench-server-main.js", args)] : [first];
}

/** Servers of a setup as one: CPU accounting and stop over all of them. */
const asOne = (servers: ChildServer[]): Omit<ChildServer, "url"> => ({
  resetCpu: async () => {
    await Promise.all(servers.map((s) => s.resetCpu()));
  },
  stop: async () => (await Promise.all(servers.map((s) => s.stop()))).reduce((a, b) => a + b, 0),
});

/** A running build with `watchers` watchers on a buildsim child; `deliver` is called per chunk. */
async function buildsimSetup(watchers: number, deliver: (data: Buffer) => void, place?: FanoutPlace) {
  const servers = await startPlace(place);
  const watched = servers[servers.length - 1]!;
  const runner = await openRunner(servers[0]!.url, wsBenchRunnerToken(1));
  const job = await runner.claim("bench");
  if (job.type !== "job") throw new Error("the benchmark build was not claimed");
  const sockets: WebSocket[] = [];
  for (let i = 0; i < watchers; i++) {
    let ready!: () => void;
    const isReady = new Promise<void>((r) => {
      ready = r;
    });
    sockets.push(
      await open(watcherUrl(watched.url, 1, WS_BENCH_ADMIN_TOKEN), (text) => {
        const m = JSON.parse(text) as ServerToWatcherMessage;
        if (m.type === "status") ready();
        else if (m.type === "chunk") deliver(Buffer.from(m.data, "base64"));
      }),
    );
    await isReady;
  }
  return {
    server: asOne(servers),
    send: (text: string) => runner.socket.send(text),
    onAck: (fn: () => void) => runner.onAck(fn),
    sockets: [...sockets, runner.socket],
  };
}

/** `watchers` sockets on a bare relay's `/watch`, each handing `deliver` the bytes of every runner message. */
async function openRelayWatchers(url: string, watchers: number, deliver: (data: Buffer) => void) {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < watchers; i++)
    sockets.push(
      await open(wsUrl(url, "/watch"), (text) => {
        const m = JSON.parse(text) as { data: string };
        deliver(Buffer.from(m.data, "base64"));
      }),
    );
  return sockets;
}

/** The same shape on the bare relay: the watchers get the runner's messages unchanged. */
async function bareSetup(watchers: number, deliver: (data: Buffer) => void) {
  const server = await startChild("ws-bare-relay-main.js");
  const sockets = await openRelayWatchers(server.url, watchers, deliver);
  let ack: () => void = () => {};
  const source = await open(wsUrl(server.url, "/source"), () => ack());
  return {
    server,
    send: (text: string) => source.send(text),
    onAck: (fn: () => void) => {
      ack = fn;
    },
    sockets: [...sockets, source],
  };
}

/**
 * Delivered lines per second for `lines` 1 KiB lines to `watchers` watchers. The sender keeps at most
 * `window` one-line messages unacknowledged, or with `RUNNER_LIKE` behaves as the runner: one message in
 * flight carrying the lines written meanwhile. The bare relay acks each message too, so both sides run
 * the same flow control.
 */
export async function measureFanout(
  kind: "bare" | "buildsim",
  lines: number,
  watchers: number,
  window: number,
  place?: FanoutPlace,
): Promise<{ perSecond: number; perCpuSecond: number; linesPerFrame: number }> {
  // Counted in lines (bytes / 1 KiB): buildsim may deliver the lines of one batch in one chunk.
  let deliveredBytes = 0;
  let frames = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => {
    done = r;
  });
  const deliver = (data: Buffer) => {
    deliveredBytes += data.byteLength;
    frames++;
    if (deliveredBytes === lines * watchers * LINE_BYTES) done();
  };
  const setup =
    kind === "bare" ? await bareSetup(watchers, deliver) : await buildsimSetup(watchers, deliver, place);
  const lineBytes = Array.from({ length: lines }, (_, i) => line(String(i)));
  const messages = lineBytes.map((data, i) => traceMessage(i, data));
  await setup.server.resetCpu();
  const start = performance.now();
  let sent = 0;
  if (window === RUNNER_LIKE) {
    // As the runner does: one message in flight, carrying every line written meanwhile (up to 64 KiB).
    const next = () => {
      if (sent >= lines) return;
      const n = Math.min(RUNNER_CHUNK_LINES, lines - sent);
      setup.send(traceMessage(sent, Buffer.concat(lineBytes.slice(sent, sent + n))));
      sent += n;
    };
    setup.onAck(next);
    next();
  } else {
    setup.onAck(() => {
      if (sent < lines) setup.send(messages[sent++]!);
    });
    while (sent < Math.min(window, lines)) setup.send(messages[sent++]!);
  }
  await finished;
  const ms = performance.now() - start;
  for (const s of setup.sockets) s.terminate();
  const cpuMicros = await setup.server.stop();
  return {
    perSecond: (lines * watchers) / (ms / 1000),
    perCpuSecond: (lines * watchers) / (cpuMicros / 1e6),
    linesPerFrame: (lines * watchers) / frames,
  };
}

/** The latency floor's relay on PostgreSQL (pg-bare-relay-main.ts): runner on one process, watchers on another. */
async function barePgSetup(watchers: number, deliver: (data: Buffer) => void, postgres: string) {
  // A table (and channel) of this run's own: runs on one cluster never see each other's rows.
  const table = `bare_relay_${process.pid}_${Date.now()}`;
  const source = await startChild("pg-bare-relay-main.js", [postgres, "source", table]);
  const sink = await startChild("pg-bare-relay-main.js", [postgres, "sink", table]);
  const sockets = await openRelayWatchers(sink.url, watchers, deliver);
  const runner = await open(wsUrl(source.url, "/source"), () => {});
  return {
    server: asOne([source, sink]),
    send: (text: string) => runner.send(text),
    sockets: [...sockets, runner],
  };
}

/** Seconds of sending, before the measured ones, whose deliveries are not counted (JIT, connections). */
export const LATENCY_WARMUP_SECONDS = 1;

/**
 * Runner→watcher latency at 1,000 lines/s for `seconds` after a warm-up of LATENCY_WARMUP_SECONDS:
 * through buildsim (on `place`), or with `floorOn` (a postgres:// URL) through the bare PostgreSQL relay.
 */
export async function measureLatency(
  seconds: number,
  watchers: number,
  place?: FanoutPlace,
  floorOn?: string,
) {
  const samples: number[] = [];
  /** Lines stamped before this (the warm-up) are not counted. */
  let countFromNs = BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000n;
  const deliver = (data: Buffer) => {
    const now = process.hrtime.bigint();
    for (let at = 0; at < data.byteLength; at += LINE_BYTES) {
      const sentNs = BigInt(data.subarray(at, data.indexOf(32, at)).toString());
      if (sentNs >= countFromNs) samples.push(Number(now - sentNs) / 1e6);
    }
  };
  const setup =
    floorOn === undefined
      ? await buildsimSetup(watchers, deliver, place)
      : await barePgSetup(watchers, deliver, floorOn);
  const warmup = LATENCY_WARMUP_SECONDS * 1000;
  const total = warmup + seconds * 1000;
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(performance.now() - start));
      for (; sent < due; sent++) {
        const stamp = process.hrtime.bigint();
        if (sent === warmup) countFromNs = stamp;
        setup.send(traceMessage(sent, line(String(stamp))));
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const expected = seconds * 1000 * watchers;
  const deadline = Date.now() + 10_000;
  while (samples.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  for (const s of setup.sockets) s.terminate();
  await setup.server.stop();
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return {
    samples: samples.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}
