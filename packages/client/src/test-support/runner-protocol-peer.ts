// A small in-test server half of the runner protocol: jobs, idempotent trace storage, acks, cancel, faults.

import { EventEmitter, once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  BuildStatus,
  CancelReason,
  FinishMessage,
  JobPayload,
  RunnerToServerMessage,
  ServerToRunnerMessage,
  TraceMessage,
} from "@buildsim/core";
import { CLOSE_CODES, PROTOCOL_VERSION, RUNNER_WS_PATH } from "@buildsim/core";
import { type WebSocket, WebSocketServer } from "ws";

/** What the peer knows about one build. */
export interface PeerBuild {
  job: JobPayload;
  tags: string[];
  status: BuildStatus;
  runnerId: number | null;
  trace: Buffer;
  /** Bytes received again that the peer already held (resent needlessly). */
  overlapBytes: number;
  finish: FinishMessage | null;
}

/** What to do with one incoming trace message (default: store it). */
export type TraceFault = "store" | "drop" | "disconnect" | "storeThenDisconnect" | "fail";

export interface RunnerProtocolPeerOptions {
  /** Runner tokens and the runner id each one stands for. @default { "runner-token": 1 } */
  runners?: Record<string, number>;
  /** Sent in welcome. @default 60000 */
  heartbeatIntervalMs?: number;
  /**
   * Decides per trace message whether to store it, drop it (and ack the old length: a gap), cut the socket
   * without storing, store it and cut the socket before the ack, or fail to store it and answer
   * `error {code: "INTERNAL", buildId}` as the real server does when its database is unreachable.
   */
  traceFault?: (message: TraceMessage, build: PeerBuild) => TraceFault;
  /** True: cut the socket instead of taking this finish (it is lost with the socket). */
  loseFinish?: (message: FinishMessage) => boolean;
  /** True: answer this finish with `error {code: "INTERNAL", buildId}`, not taking it. */
  failFinish?: (message: FinishMessage) => boolean;
  /** False: leave claims unanswered (to cut the socket while one waits). @default true */
  answerClaims?: () => boolean;
  /** Serves plain HTTP requests on the same port (artifacts). */
  http?: (request: IncomingMessage, response: ServerResponse) => void;
}

/** A running peer; `url` is its `http://127.0.0.1:port`. */
export interface RunnerProtocolPeer {
  url: string;
  builds: Map<number, PeerBuild>;
  /** Every message received, in order, with the runner id of its socket. */
  received: Array<{ runnerId: number; message: RunnerToServerMessage }>;
  events: EventEmitter;
  enqueue(job: JobPayload, tags?: string[]): PeerBuild;
  cancel(buildId: number, reason?: CancelReason): void;
  /** Closes every runner socket with `code` (1001: going away). */
  disconnectAll(code?: number): void;
  waitForFinish(buildId: number): Promise<FinishMessage>;
  waitForTraceBytes(buildId: number, byteCount: number): Promise<void>;
  waitForWelcomes(count: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the peer on 127.0.0.1, port 0. */
export async function startRunnerProtocolPeer(
  options: RunnerProtocolPeerOptions = {},
): Promise<RunnerProtocolPeer> {
  const runners = options.runners ?? { "runner-token": 1 };
  const builds = new Map<number, PeerBuild>();
  const received: RunnerProtocolPeer["received"] = [];
  const events = new EventEmitter();
  const sockets = new Map<WebSocket, { runnerId: number; tags: string[] }>();
  let welcomes = 0;

  const http: Server = createServer((request, response) => {
    if (options.http) return options.http(request, response);
    response.writeHead(404).end();
  });
  const wss = new WebSocketServer({ server: http, path: RUNNER_WS_PATH });
  const send = (socket: WebSocket, message: ServerToRunnerMessage) => socket.send(JSON.stringify(message));
  const socketOf = (runnerId: number | null) => [...sockets].find(([, s]) => s.runnerId === runnerId)?.[0];

  wss.on("connection", (socket) => {
    socket.on("message", (raw) => {
      const message = JSON.parse(raw.toString()) as RunnerToServerMessage;
      const session = sockets.get(socket);
      if (!session) {
        const runnerId = message.type === "hello" ? runners[message.token] : undefined;
        if (message.type !== "hello" || runnerId === undefined) return socket.close(CLOSE_CODES.UNAUTHORIZED);
        if (message.protocol !== PROTOCOL_VERSION) return socket.close(CLOSE_CODES.UNSUPPORTED_PROTOCOL);
        sockets.set(socket, { runnerId, tags: message.tags ?? [] });
        received.push({ runnerId, message });
        const resume = [...builds.values()]
          .filter((b) => b.runnerId === runnerId && b.finish === null && b.status !== "pending")
          .map((b) => ({ buildId: b.job.id, traceBytes: b.trace.byteLength, status: b.status }));
        send(socket, {
          type: "welcome",
          protocol: PROTOCOL_VERSION,
          runnerId,
          heartbeatIntervalMs: options.heartbeatIntervalMs ?? 60_000,
          resume,
        });
        welcomes++;
        events.emit("welcome");
        return;
      }
      received.push({ runnerId: session.runnerId, message });
      handle(socket, session, message);
      events.emit("message", message);
    });
    socket.on("close", () => sockets.delete(socket));
  });

  function handle(
    socket: WebSocket,
    session: { runnerId: number; tags: string[] },
    message: RunnerToServerMessage,
  ): void {
    switch (message.type) {
      case "claim": {
        if (options.answerClaims && !options.answerClaims()) return;
        const build = [...builds.values()].find(
          (b) => b.status === "pending" && b.tags.every((tag) => session.tags.includes(tag)),
        );
        if (!build) {
          send(socket, { type: "noJob", requestId: message.requestId });
          return;
        }
        build.status = "running";
        build.runnerId = session.runnerId;
        send(socket, { type: "job", requestId: message.requestId, job: build.job });
        return;
      }
      case "trace": {
        const build = builds.get(message.buildId);
        if (!build || build.runnerId !== session.runnerId) return;
        const fault = options.traceFault?.(message, build) ?? "store";
        if (fault === "disconnect") {
          socket.terminate();
          return;
        }
        if (fault === "fail") {
          send(socket, {
            type: "error",
            code: "INTERNAL",
            message: "trace append failed",
            buildId: message.buildId,
          });
          return;
        }
        if (fault !== "drop") {
          const data = Buffer.from(message.data, "base64");
          const skip = build.trace.byteLength - message.offset;
          // Idempotent append: bytes before the stored length are already held; a later offset is a gap.
          if (skip > 0) build.overlapBytes += Math.min(skip, data.byteLength);
          if (skip >= 0 && skip < data.byteLength)
            build.trace = Buffer.concat([build.trace, data.subarray(skip)]);
        }
        const ack: ServerToRunnerMessage = {
          type: "traceAck",
          buildId: build.job.id,
          length: build.trace.byteLength,
        };
        if (fault === "storeThenDisconnect") socket.terminate();
        else send(socket, ack);
        events.emit("trace", build.job.id);
        return;
      }
      case "finish": {
        const build = builds.get(message.buildId);
        if (!build || build.runnerId !== session.runnerId) return;
        if (options.loseFinish?.(message)) {
          socket.terminate();
          return;
        }
        if (options.failFinish?.(message)) {
          send(socket, {
            type: "error",
            code: "INTERNAL",
            message: "finish failed",
            buildId: message.buildId,
          });
          return;
        }
        if (message.traceBytes !== build.trace.byteLength) {
          // As the real server: no finish before every trace byte is held.
          send(socket, {
            type: "error",
            code: "TRACE_INCOMPLETE",
            message: `holding ${build.trace.byteLength} bytes`,
          });
          return;
        }
        build.finish = message;
        if (build.status !== "canceled") build.status = message.state;
        send(socket, { type: "finishAck", buildId: build.job.id, status: build.status });
        events.emit("finish", build.job.id);
        return;
      }
      case "release": {
        // As the real server: back to the queue when it never wrote a byte, else failed.
        const build = builds.get(message.buildId);
        if (!build || build.runnerId !== session.runnerId || build.status !== "running") return;
        if (build.trace.byteLength === 0) {
          build.status = "pending";
          build.runnerId = null;
        } else build.status = "failed";
        events.emit("release", build.job.id);
        return;
      }
      default:
        return;
    }
  }

  http.listen(0, "127.0.0.1");
  await once(http, "listening");
  const { port } = http.address() as AddressInfo;

  const waitFor = (event: string, done: () => boolean) =>
    new Promise<void>((resolve) => {
      if (done()) return resolve();
      const check = () => {
        if (!done()) return;
        events.off(event, check);
        resolve();
      };
      events.on(event, check);
    });

  return {
    url: `http://127.0.0.1:${port}`,
    builds,
    received,
    events,
    enqueue(job, tags = []) {
      const build: PeerBuild = {
        job,
        tags,
        status: "pending",
        runnerId: null,
        trace: Buffer.alloc(0),
        overlapBytes: 0,
        finish: null,
      };
      builds.set(job.id, build);
      return build;
    },
    cancel(buildId, reason = "canceled") {
      const build = builds.get(buildId);
      if (!build) return;
      build.status = "canceled";
      const socket = socketOf(build.runnerId);
      if (socket) send(socket, { type: "cancel", buildId, reason });
    },
    disconnectAll(code = CLOSE_CODES.GOING_AWAY) {
      for (const socket of sockets.keys()) socket.close(code);
    },
    async waitForFinish(buildId) {
      await waitFor("finish", () => builds.get(buildId)?.finish != null);
      return builds.get(buildId)!.finish!;
    },
    waitForTraceBytes: (buildId, byteCount) =>
      waitFor("trace", () => (builds.get(buildId)?.trace.byteLength ?? 0) >= byteCount),
    waitForWelcomes: (count) => waitFor("welcome", () => welcomes >= count),
    async close() {
      for (const socket of sockets.keys()) socket.terminate();
      wss.close();
      http.close();
      await once(http, "close");
    },
  };
}
