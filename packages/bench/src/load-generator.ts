// A small closed-loop HTTP/1.1 load generator on raw sockets: N keep-alive connections, each sending the
// next request as soon as the previous response is complete, for a fixed duration. Raw sockets keep the
// generator cheap, so it measures the server rather than Node's HTTP client. One URL, or a mix of GETs
// with a fraction of writes chosen by a seeded generator (the same sequence against every server).

import { connect, type Socket } from "node:net";

/** One request of a mix. */
export interface MixRequest {
  method: "GET" | "POST";
  path: string;
}

/** What to load and for how long. */
export interface LoadOptions {
  host: string;
  port: number;
  /** The one URL to GET, unless `mix` is given. */
  path: string;
  headers: Record<string, string>;
  connections: number;
  durationMs: number;
  /** Requests chosen at random (seeded) instead of `path`: `reads`, and `writes` for `writeFraction`. */
  mix?: { reads: MixRequest[]; writes: MixRequest[]; writeFraction: number; seed: number };
}

/** What the run measured. */
export interface LoadResult {
  requests: number;
  /** Writes among `requests`. */
  writes: number;
  /** Responses with a status outside 2xx. */
  non2xx: number;
  /** Connections that failed or closed early. */
  errors: number;
  bytes: number;
  durationMs: number;
  requestsPerSecond: number;
  /** Latency percentiles, request sent to response complete. */
  p50Ms: number;
  p99Ms: number;
}

const HEADER_END = Buffer.from("\r\n\r\n");

/** mulberry32: a tiny seeded generator, so bare and buildsim see the same request sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The percentile `q` of `sorted` (ascending). */
const percentile = (sorted: Float64Array, q: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Runs one closed-loop load run and resolves with its counts. */
export function runLoad(o: LoadOptions): Promise<LoadResult> {
  const head = Object.entries(o.headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  const wire = (r: MixRequest) =>
    Buffer.from(
      `${r.method} ${r.path} HTTP/1.1\r\nHost: ${o.host}:${o.port}\r\nConnection: keep-alive\r\n${
        r.method === "GET" ? "" : "Content-Length: 0\r\n"
      }${head}\r\n`,
    );
  const reads = (o.mix?.reads ?? [{ method: "GET", path: o.path }]).map(wire);
  const writes = (o.mix?.writes ?? []).map(wire);
  const writeFraction = writes.length > 0 ? (o.mix?.writeFraction ?? 0) : 0;
  const random = seededRandom(o.mix?.seed ?? 1);
  let requests = 0;
  let writeCount = 0;
  let non2xx = 0;
  let errors = 0;
  let bytes = 0;
  let latencies = new Float64Array(1 << 16);
  const started = performance.now();
  const deadline = started + o.durationMs;

  const oneConnection = () =>
    new Promise<void>((resolve) => {
      const socket: Socket = connect(o.port, o.host);
      socket.setNoDelay(true);
      // Only headers are buffered; body bytes are counted and dropped, so a 36 KB body costs no copies.
      let head: Buffer | null = null;
      let bodyLeft = -1; // -1 while reading headers
      let sentAt = 0;
      // Every connection sends at least one request, however late it connects on a busy machine.
      let first = true;
      const send = () => {
        sentAt = performance.now();
        if (sentAt >= deadline && !first) {
          socket.end();
          return;
        }
        first = false;
        const write = writeFraction > 0 && random() < writeFraction;
        if (write) writeCount++;
        const pool = write ? writes : reads;
        socket.write(pool.length === 1 ? pool[0]! : pool[Math.floor(random() * pool.length)]!);
      };
      socket.on("connect", send);
      socket.on("data", (chunk: Buffer) => {
        let at = 0;
        while (at < chunk.length) {
          if (bodyLeft < 0) {
            const part = chunk.subarray(at);
            head = head ? Buffer.concat([head, part]) : part;
            const end = head.indexOf(HEADER_END);
            if (end < 0) return;
            const text = head.subarray(0, end).toString("latin1");
            const m = /\r\ncontent-length:\s*(\d+)/i.exec(text);
            if (!m) {
              errors++;
              socket.destroy();
              return;
            }
            if (text.charCodeAt(9) !== 50) non2xx++; // "HTTP/1.1 2xx"
            bodyLeft = Number(m[1]);
            bytes += end + 4;
            // Continue in this chunk right after the header block.
            at = chunk.length - (head.length - (end + 4));
            head = null;
          }
          const take = Math.min(bodyLeft, chunk.length - at);
          bodyLeft -= take;
          bytes += take;
          at += take;
          if (bodyLeft === 0) {
            bodyLeft = -1;
            if (requests === latencies.length) {
              const grown = new Float64Array(latencies.length * 2);
              grown.set(latencies);
              latencies = grown;
            }
            latencies[requests++] = performance.now() - sentAt;
            if (at === chunk.length) {
              send();
              return;
            }
          }
        }
      });
      socket.on("error", () => {
        errors++;
        resolve();
      });
      socket.on("close", () => resolve());
    });

  return Promise.all(Array.from({ length: o.connections }, oneConnection)).then(() => {
    const durationMs = performance.now() - started;
    const sorted = latencies.slice(0, requests).sort();
    return {
      requests,
      writes: writeCount,
      non2xx,
      errors,
      bytes,
      durationMs,
      requestsPerSecond: (requests / durationMs) * 1000,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
    };
  });
}
