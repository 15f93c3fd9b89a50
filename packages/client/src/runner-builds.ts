// The builds a runner connection carries: each one's unacknowledged trace bytes and its pending finish.
//
// One trace message in flight per build; bytes below each traceAck's length are dropped, a gap is resent
// from it; the finish goes out only once every trace byte is acknowledged. After a (re)welcome each build
// is rebased on the length the server holds (`resume`), on whichever server the runner reached.

import type { BuildStatus, CancelReason, RunnerToServerMessage, WelcomeMessage } from "@buildsim/core";
import { isCompletedStatus } from "@buildsim/core";
import { RunnerConnectionError } from "./runner-connection-error.js";
import type { BuildOutcome } from "./runner-connection-options.js";
import { DEFAULT_TRACE_MEMORY_BYTES, TraceOutbox } from "./trace-outbox.js";
import { createTraceSpillFile } from "./trace-spill-file.js";

interface TrackedBuild {
  outbox: TraceOutbox;
  finish: {
    outcome: BuildOutcome;
    sent: boolean;
    resolve: (s: BuildStatus) => void;
    reject: (e: Error) => void;
  } | null;
}

/** What the builds need from their connection. */
export interface RunnerBuildsLink {
  /** Sends now if the socket is open (a lost message is resent after the next welcome). */
  send(message: RunnerToServerMessage): void;
  isConnected(): boolean;
  /** Tells the runner to stop a build (the connection's cancel listeners). */
  cancel(buildId: number, reason: CancelReason): void;
  reportError(error: Error): void;
  maxTraceChunkBytes: number;
  maxTraceMemoryBytes?: number | undefined;
  traceSpillDir?: string | undefined;
  /** Runs `fn` after `delayMs` on the connection's clock; the handle cancels it. */
  later(fn: () => void, delayMs: number): unknown;
  cancelLater(handle: unknown): void;
  /** The pause before the `attempt`-th resend (0 first) of a message the server failed to store. */
  resendDelayMs(attempt: number): number;
}

/** A build's resends after the server failed to store its message: how many so far, and the one pending. */
interface Resend {
  attempts: number;
  timer: unknown;
}

/** The tracked builds of one runner connection (see the file header). */
export class RunnerBuilds {
  private readonly builds = new Map<number, TrackedBuild>();
  private readonly resends = new Map<number, Resend>();

  constructor(private readonly link: RunnerBuildsLink) {}

  /** Starts tracking a build's trace at `startOffset`. */
  track(buildId: number, startOffset = 0): void {
    if (this.builds.has(buildId)) return;
    const dir = this.link.traceSpillDir;
    const outbox = new TraceOutbox(
      startOffset,
      this.link.maxTraceMemoryBytes ?? DEFAULT_TRACE_MEMORY_BYTES,
      () => createTraceSpillFile(dir),
    );
    this.builds.set(buildId, { outbox, finish: null });
  }

  get ids(): number[] {
    return [...this.builds.keys()];
  }

  append(buildId: number, data: Uint8Array | string): void {
    const build = this.builds.get(buildId);
    if (!build) throw new RunnerConnectionError("UNKNOWN_BUILD", `build ${buildId} is not tracked`);
    if (build.finish) throw new RunnerConnectionError("BUILD_FINISHING", `build ${buildId} is finishing`);
    build.outbox.append(typeof data === "string" ? Buffer.from(data, "utf8") : data);
    this.pump(buildId, build);
  }

  progress(buildId: number): { totalBytes: number; ackedBytes: number } | null {
    const build = this.builds.get(buildId);
    return build ? { totalBytes: build.outbox.totalBytes, ackedBytes: build.outbox.ackedBytes } : null;
  }

  finish(buildId: number, outcome: BuildOutcome): Promise<BuildStatus> {
    const build = this.builds.get(buildId);
    if (!build)
      return Promise.reject(new RunnerConnectionError("UNKNOWN_BUILD", `build ${buildId} is not tracked`));
    if (build.finish)
      return Promise.reject(new RunnerConnectionError("BUILD_FINISHING", `build ${buildId} is finishing`));
    return new Promise((resolve, reject) => {
      build.finish = { outcome, sent: false, resolve, reject };
      this.pump(buildId, build);
    });
  }

  /**
   * The server could not store `buildId`'s message in flight (`error {code: "INTERNAL", buildId}`: its
   * database unreachable, say): after a pause that grows with each failure, it is sent again, the trace
   * from the length last acknowledged or the finish. Nothing else would: the server answers it no more.
   */
  failedOnServer(buildId: number): void {
    const build = this.builds.get(buildId);
    if (!build) return;
    const resend = this.resends.get(buildId) ?? { attempts: 0, timer: null };
    this.resends.set(buildId, resend);
    if (resend.timer !== null) return;
    resend.timer = this.link.later(
      () => {
        resend.timer = null;
        if (this.builds.get(buildId) !== build) return;
        build.outbox.resetInFlight();
        if (build.finish) build.finish.sent = false;
        this.pump(buildId, build);
      },
      this.link.resendDelayMs(resend.attempts++),
    );
  }

  /** The server answered `buildId`'s message, or the build is gone: no resend is due, and the pause starts over. */
  private settleResend(buildId: number): void {
    const resend = this.resends.get(buildId);
    if (!resend) return;
    if (resend.timer !== null) this.link.cancelLater(resend.timer);
    this.resends.delete(buildId);
  }

  /** A traceAck: forget what the server holds and send what follows, or give up when bytes are gone. */
  acknowledged(buildId: number, length: number): void {
    const build = this.builds.get(buildId);
    if (!build) return;
    this.settleResend(buildId);
    if (build.outbox.ack(length) !== "ok") {
      this.traceLost(buildId, length);
      return;
    }
    this.pump(buildId, build);
  }

  /** A finishAck: the build is done; its finish resolves with the status it ended with. */
  finished(buildId: number, status: BuildStatus): void {
    const build = this.builds.get(buildId);
    if (!build?.finish) return;
    this.settleResend(buildId);
    this.builds.delete(buildId);
    build.outbox.dispose();
    build.finish.resolve(status);
  }

  /**
   * After a welcome: whatever was in flight on the old socket is sent again from the length the server
   * holds; a build it no longer holds, or holds completed (canceled while the runner was away), is stopped.
   */
  rebase(resume: WelcomeMessage["resume"]): void {
    const held = new Map(resume.map((entry) => [entry.buildId, entry]));
    for (const [buildId, build] of [...this.builds]) {
      const entry = held.get(buildId);
      // Whatever was in flight is sent again now: a resend that was waiting is not needed.
      this.settleResend(buildId);
      build.outbox.resetInFlight();
      if (build.finish) build.finish.sent = false;
      if (!entry) {
        this.drop(
          buildId,
          new RunnerConnectionError("BUILD_NOT_HELD", `the server no longer holds build ${buildId}`),
        );
        this.link.cancel(buildId, "canceled");
        continue;
      }
      if (build.outbox.ack(entry.traceBytes) !== "ok") this.traceLost(buildId, entry.traceBytes);
      else if (isCompletedStatus(entry.status)) this.link.cancel(buildId, "canceled");
    }
  }

  /** Sends what every build has waiting (after a welcome). */
  pumpAll(): void {
    for (const [buildId, build] of this.builds) this.pump(buildId, build);
  }

  /** Forgets a build: nothing more of it is sent, and its pending finish rejects with `error`. */
  drop(buildId: number, error: RunnerConnectionError): void {
    const build = this.builds.get(buildId);
    this.settleResend(buildId);
    this.builds.delete(buildId);
    build?.outbox.dispose();
    build?.finish?.reject(error);
  }

  dropAll(error: RunnerConnectionError): void {
    for (const buildId of [...this.builds.keys()]) this.drop(buildId, error);
  }

  /** Sends the next trace message, or the finish once every byte is acknowledged. */
  private pump(buildId: number, build: TrackedBuild): void {
    if (!this.link.isConnected()) return;
    const slice = build.outbox.next(this.link.maxTraceChunkBytes);
    if (slice) {
      this.link.send({ type: "trace", buildId, offset: slice.offset, data: slice.data.toString("base64") });
      return;
    }
    if (build.finish && !build.finish.sent && build.outbox.settled) {
      build.finish.sent = true;
      const { state, exitCode, failureReason, dotenvVariables } = build.finish.outcome;
      this.link.send({
        type: "finish",
        buildId,
        state,
        exitCode,
        failureReason,
        traceBytes: build.outbox.totalBytes,
        ...(dotenvVariables && dotenvVariables.length > 0 ? { dotenvVariables } : {}),
      });
    }
  }

  private traceLost(buildId: number, length: number): void {
    const build = this.builds.get(buildId);
    const error = new RunnerConnectionError(
      "TRACE_LOST",
      `server acknowledged ${length} trace bytes of build ${buildId}; it had ${build?.outbox.ackedBytes} of ${build?.outbox.totalBytes}`,
    );
    this.drop(buildId, error);
    this.link.reportError(error);
    this.link.cancel(buildId, "canceled");
  }
}
