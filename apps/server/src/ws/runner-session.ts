// One runner's WebSocket: hello → welcome, claims, trace chunks → acks, heartbeats, finishes. The
// protocol's sequence diagram and rules: docs/runner-protocol.md; its messages: core's protocol.ts.

import type { Writable } from "node:stream";
import {
  type Build,
  type BuildStatus,
  CLOSE_CODES,
  type ClaimMessage,
  type FinishMessage,
  type HelloMessage,
  type JobPayload,
  PROTOCOL_VERSION,
  parseRunnerToServerMessage,
  type Runner,
  type RunnerToServerMessage,
  type ServerToRunnerMessage,
  type TraceAckMessage,
  type TraceMessage,
} from "@buildsim/core";
import type { WebSocket } from "ws";
import type { LinkFaultDecision } from "../http/fault-plan.js";
import type { BuildWatchdog } from "../services/build-watchdog.js";
import type { FinishBuild } from "../services/finish-build.js";
import type { ResolvedRealtimeOptions } from "./realtime-options.js";
import { frameLimitFor, mayParseFrame } from "./runner-frame-limits.js";
import { textFrame } from "./text-frame.js";
import type { TraceBatcher } from "./trace-batcher.js";

/** `JSON.stringify(ack)`, written out: there is one per runner trace message. */
export const traceAckJson = (ack: TraceAckMessage): string =>
  `{"type":"traceAck","buildId":${ack.buildId},"length":${ack.length}}`;

/** What a session asks of the runner hub (`createRunnerHub` implements it); the hub owns the rules' wiring. */
export interface SessionHub {
  options: Pick<
    ResolvedRealtimeOptions,
    "timers" | "helloTimeoutMs" | "maxTraceChunkBytes" | "heartbeatIntervalMs"
  >;
  watchdog: Pick<BuildWatchdog, "seen" | "confirmed" | "release" | "isTimedOut" | "forget">;
  traces: Pick<TraceBatcher, "add" | "drain">;
  finishBuild: FinishBuild;
  log(line: string): void;
  /** The link fault rule that takes this message, if one does (contract tests). */
  linkFault(runnerId: number, message: string, buildId: number | undefined): LinkFaultDecision | undefined;
  /** The runner a hello's token names (its metadata updated), or undefined. */
  authenticate(m: HelloMessage): Runner | undefined;
  /** Builds still running on `runnerId`, with the trace length held: welcome's `resume`. */
  runningOn(runnerId: number): Array<{ buildId: number; traceBytes: number; status: BuildStatus }>;
  /** Whether `buildId` is running on `runnerId` now. */
  isRunningOn(buildId: number, runnerId: number): boolean;
  payloadFor(build: Build, runner: Runner): JobPayload;
  attach(session: RunnerSession): void;
  detach(session: RunnerSession): void;
  /** Answers a claim now, or parks it until a build is queued or `waitMs` passes. */
  claim(session: RunnerSession, m: ClaimMessage): void;
}

/** A connected runner socket and the builds it holds. */
export class RunnerSession {
  runner: Runner | null = null;
  /** Builds this session claimed or resumed: checked once, then trusted for its trace chunks. */
  private readonly owned = new Set<number>();

  /** Closes a socket that never says hello (an open socket costs the server until it does). */
  private helloTimer: unknown;

  /** @param tcp The upgraded connection under `socket`: messages are written to it as whole frames. */
  constructor(
    readonly socket: WebSocket,
    private readonly tcp: Writable,
    private readonly hub: SessionHub,
  ) {
    socket.on("message", (data, isBinary) => {
      if (isBinary) this.protocolError("binary frames are not part of the protocol");
      else this.receive(data.toString());
    });
    this.helloTimer = hub.options.timers.setTimeout(() => {
      this.helloTimer = undefined;
      if (!this.runner) this.close(CLOSE_CODES.UNAUTHORIZED, "no hello in time");
    }, hub.options.helloTimeoutMs);
    socket.on("close", () => {
      if (this.helloTimer !== undefined) hub.options.timers.clearTimeout(this.helloTimer);
      hub.detach(this);
    });
    socket.on("error", () => {});
  }

  /** Sends one message if the socket is still open (a trace ack per runner message: one write). */
  send(message: ServerToRunnerMessage): void {
    this.sendText(JSON.stringify(message));
  }

  private sendText(json: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.tcp.write(textFrame(json));
  }

  /** Closes with `code`; the runner reconnects unless the code is fatal to it. */
  close(code: number, reason: string): void {
    this.socket.close(code, reason.slice(0, 120));
  }

  private protocolError(error: string): void {
    this.send({ type: "error", code: "PROTOCOL_ERROR", message: error });
    this.close(CLOSE_CODES.PROTOCOL_ERROR, error);
  }

  private receive(text: string): void {
    const maxTrace = this.hub.options.maxTraceChunkBytes;
    if (!mayParseFrame(text, maxTrace)) {
      this.protocolError("frame too large for its message type");
      return;
    }
    const parsed = parseRunnerToServerMessage(text);
    if (!parsed.ok) {
      this.protocolError(parsed.error);
      return;
    }
    const m = parsed.value;
    if (text.length > frameLimitFor(m.type, maxTrace)) {
      this.protocolError(`${m.type} frame over ${frameLimitFor(m.type, maxTrace)} bytes`);
      return;
    }
    if (m.type === "hello") {
      this.hello(m);
      return;
    }
    if (!this.runner) {
      this.protocolError("say hello first");
      return;
    }
    if (this.faulted(m)) return;
    try {
      if (m.type === "claim") this.hub.claim(this, m as ClaimMessage);
      else if (m.type === "trace") this.trace(m);
      else if (m.type === "finish") this.finish(m);
      else if (m.type === "release") this.release(m.buildId);
      else for (const id of m.buildIds) if (this.owns(id)) this.hub.watchdog.confirmed(id);
    } catch (e) {
      this.internalError(m, e);
    }
  }

  /** `m` failed on the server: logged, and the runner told (a failed trace or finish it sends again). */
  private internalError(m: RunnerToServerMessage, e: unknown): void {
    this.hub.log(
      `runner ${this.runner?.id}: ${m.type} failed: ${e instanceof Error ? (e.stack ?? e.message) : e}`,
    );
    this.send({
      type: "error",
      code: "INTERNAL",
      message: `${m.type} failed on the server`,
      ...(m.type === "trace" || m.type === "finish" ? { buildId: m.buildId } : {}),
    });
  }

  /** A link fault rule took `m`: the link drops (1006 for the runner), or a claim is refused. */
  private faulted(m: RunnerToServerMessage): boolean {
    const buildId = "buildId" in m ? m.buildId : undefined;
    const fault = this.hub.linkFault(this.runner!.id, m.type, buildId);
    if (!fault) return false;
    if (fault.effect.type === "drop") this.socket.terminate();
    else if (fault.effect.type === "refuse-claim" && m.type === "claim")
      this.send({ type: "noJob", requestId: m.requestId });
    else return false;
    return true;
  }

  private hello(m: HelloMessage): void {
    if (this.runner) {
      this.protocolError("hello was already said");
      return;
    }
    if (m.protocol !== PROTOCOL_VERSION) {
      this.close(CLOSE_CODES.UNSUPPORTED_PROTOCOL, `this server speaks protocol ${PROTOCOL_VERSION}`);
      return;
    }
    const runner = this.hub.authenticate(m);
    if (!runner) {
      this.close(CLOSE_CODES.UNAUTHORIZED, "unknown runner token");
      return;
    }
    // A link fault on `hello`: the connection drops before the welcome.
    if (this.hub.linkFault(runner.id, "hello", undefined)?.effect.type === "drop") {
      this.socket.terminate();
      return;
    }
    this.runner = runner;
    if (this.helloTimer !== undefined) this.hub.options.timers.clearTimeout(this.helloTimer);
    this.helloTimer = undefined;
    const resume = this.hub.runningOn(runner.id);
    for (const r of resume) {
      this.owned.add(r.buildId);
      this.hub.watchdog.seen(r.buildId);
    }
    this.hub.attach(this);
    this.send({
      type: "welcome",
      protocol: PROTOCOL_VERSION,
      runnerId: runner.id,
      heartbeatIntervalMs: this.hub.options.heartbeatIntervalMs,
      resume,
    });
  }

  /** Builds this session claimed or resumed and has not finished. */
  ownedBuilds(): number[] {
    return [...this.owned];
  }

  /** `buildId` was deleted: nothing more of it is taken from this runner (NOT_YOUR_BUILD from now on). */
  forget(buildId: number): void {
    this.owned.delete(buildId);
  }

  /** Called by the hub when this session got `build`. */
  claimed(requestId: string, build: Build): void {
    this.owned.add(build.id);
    this.hub.watchdog.seen(build.id);
    this.send({ type: "job", requestId, job: this.hub.payloadFor(build, this.runner!) });
  }

  /**
   * True for builds this session claimed or resumed and has not finished (a build canceled meanwhile
   * still takes its last trace bytes and its finish), and for builds running on this runner.
   */
  private owns(buildId: number): boolean {
    if (this.owned.has(buildId)) return true;
    if (!this.runner || !this.hub.isRunningOn(buildId, this.runner.id)) return false;
    this.owned.add(buildId);
    return true;
  }

  private trace(m: TraceMessage): void {
    if (!this.owns(m.buildId)) {
      this.send({
        type: "error",
        code: "NOT_YOUR_BUILD",
        message: `build ${m.buildId} is not running on this runner`,
        buildId: m.buildId,
      });
      return;
    }
    const bytes = Buffer.from(m.data, "base64");
    if (bytes.byteLength > this.hub.options.maxTraceChunkBytes) {
      this.protocolError(`trace chunk over ${this.hub.options.maxTraceChunkBytes} bytes`);
      return;
    }
    this.hub.traces.add({
      buildId: m.buildId,
      offset: m.offset,
      bytes,
      ack: (result) => {
        this.hub.watchdog.confirmed(m.buildId);
        this.sendText(traceAckJson({ type: "traceAck", buildId: m.buildId, length: result.length }));
      },
      fail: () =>
        this.send({
          type: "error",
          code: "INTERNAL",
          message: "trace append failed on the server",
          buildId: m.buildId,
        }),
    });
  }

  /** The runner does not hold a build listed in its resume: requeued if it never ran, else failed. */
  private release(buildId: number): void {
    if (!this.owns(buildId)) return;
    this.owned.delete(buildId);
    this.hub.watchdog.release(buildId);
  }

  private finish(m: FinishMessage): void {
    if (!this.owns(m.buildId)) {
      this.send({
        type: "error",
        code: "NOT_YOUR_BUILD",
        message: `build ${m.buildId} is not running on this runner`,
        buildId: m.buildId,
      });
      return;
    }
    // Chunks received before this finish are stored (and acknowledged) first. Where that takes a round
    // trip (PostgreSQL), the finish waits for it; the session reads on meanwhile.
    const stored = this.hub.traces.drain();
    if (!stored) {
      this.finishStored(m);
      return;
    }
    void stored.then(() => {
      try {
        this.finishStored(m);
      } catch (e) {
        this.internalError(m, e);
      }
    });
  }

  /** Finishes `m`'s build once every chunk received before `m` is stored. */
  private finishStored(m: FinishMessage): void {
    const outcome = this.hub.finishBuild(m, this.hub.watchdog.isTimedOut(m.buildId));
    if (outcome.kind === "traceIncomplete") {
      // Tell the runner what we hold so it resends the rest.
      this.send({ type: "traceAck", buildId: m.buildId, length: outcome.held });
      return;
    }
    this.owned.delete(m.buildId);
    this.hub.watchdog.forget(m.buildId);
    this.send({ type: "finishAck", buildId: m.buildId, status: outcome.status });
  }
}
