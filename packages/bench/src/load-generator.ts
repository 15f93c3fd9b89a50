// A small closed-loop HTTP/1.1 load generator on raw sockets: N keep-alive connections, each sending the
// next request as soon as the previous response is complete, for a fixed duration. Raw sockets keep the
// generator cheap, so it measures the server rather than Node's HTTP client.

import { connect, type Socket } from "node:net";

/** What to load and for how long. */
export interface LoadOptions {
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  connections: number;
  durationMs: number;
}

/** What the run measured. */
export interface LoadResult {
  requests: number;
  /** Responses with a status other than 200. */
  non200: number;
  /** Connections that failed or closed early. */
  errors: number;
  bytes: number;
  durationMs: number;
  requestsPerSecond: number;
}

const HEADER_END = Buffer.from("\r\n\r\n");

/** Runs one closed-loop load run and resolves with its counts. */
export function runLoad(o: LoadOptions): Promise<LoadResult> {
  const request = Buffer.from(
    `GET ${o.path} HTTP/1.1\r\nHost: ${o.host}:${o.port}\r\nConnection: keep-alive\r\n${Object.entries(
      o.headers,
    )
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join("")}\r\n`,
  );
  let requests = 0;
  let non200 = 0;
  let errors = 0;
  let bytes = 0;
  const started = performance.now();
  const deadline = started + o.durationMs;

  const oneConnection = () =>
    new Promise<void>((resolve) => {
      const socket: Socket = connect(o.port, o.host);
      socket.setNoDelay(true);
      // Only headers are buffered; body bytes are counted and dropped, so a 36 KB body costs no copies.
      let head: Buffer | null = null;
      let bodyLeft = -1; // -1 while reading headers
      const send = () => {
        if (performance.now() >= deadline) {
          socket.end();
          return;
        }
        socket.write(request);
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
            if (!text.startsWith("HTTP/1.1 200")) non200++;
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
            requests++;
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
    return { requests, non200, errors, bytes, durationMs, requestsPerSecond: (requests / durationMs) * 1000 };
  });
}
