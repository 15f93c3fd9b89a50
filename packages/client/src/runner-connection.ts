// The runner's side of buildsim's runner ↔ server WebSocket protocol, reconnecting and resending trace bytes.
//
// The protocol (sequence diagram, rules) is docs/runner-protocol.md; the messages are core's protocol.ts.
// Here: the socket, hello/welcome, claims, heartbeats and reconnects; cancel → onCancel listeners. The
// builds' trace bytes and finishes are runner-builds.ts (one trace message in flight per build, finish
// only once every trace byte is acknowledged).
//
// When the socket closes with a code core's CLOSE_CODE_TABLE says stops (4401/4426/4000) the connection
// stops; otherwise (or when the server stops answering: server-liveness.ts) it reconnects, to the next
// server of its list (runner-server-urls.ts), with capped exponential backoff and jitter, says hello
// again, and on welcome rebases every build it still runs on the length the server holds, resending from
// there. A build the server no longer holds is canceled.

import type {
  BuildStatus,
  CancelReason,
  JobPayload,
  RunnerToServerMessage,
  ServerToRunnerMessage,
  WelcomeMessage,
} from "@buildsim/core";
import {
  CLOSE_CODES,
  closeCodeMeaning,
  type FatalCloseName,
  PROTOCOL_VERSION,
  parseServerToRunnerMessage,
  systemClock,
} from "@buildsim/core";
import { ListenerSet } from "./listener-set.js";
import { RunnerBuilds } from "./runner-builds.js";
import { RunnerConnectionError } from "./runner-connection-error.js";
import type { BuildOutcome, RunnerConnectionOptions } from "./runner-connection-options.js";
import { RunnerServerUrls } from "./runner-server-urls.js";
import { type RunnerSocket, type RunnerSocketConstructor, reconnectDelayMs } from "./runner-socket.js";
import { cutLink, ServerLiveness } from "./server-liveness.js";

export type { RunnerConnectionErrorCode } from "./runner-connection-error.js";
export type { BuildOutcome, RunnerConnectionOptions } from "./runner-connection-options.js";
export type { RunnerSocket, RunnerSocketConstructor } from "./runner-socket.js";
export { RunnerConnectionError };

interface PendingClaim {
  requestId: string;
  waitMs: number | undefined;
  sent: boolean;
  resolve: (job: JobPayload | null) => void;
  reject: (error: Error) => void;
}

/** The runner's typed connection to a buildsim server; see the diagram at the top of this file. */
export class RunnerConnection {
  /** The latest welcome's `resume`: builds this runner still owns, with the trace length the server holds. */
  resume: WelcomeMessage["resume"] = [];
  /** The latest welcome, or null before the first one. */
  welcome: WelcomeMessage | null = null;

  private readonly options: Required<
    Omit<
      RunnerConnectionOptions,
      | "url"
      | "urls"
      | "name"
      | "version"
      | "executor"
      | "tags"
      | "heartbeatIntervalMs"
      | "WebSocket"
      | "maxTraceMemoryBytes"
      | "traceSpillDir"
    >
  > &
    RunnerConnectionOptions;
  private socket: RunnerSocket | null = null;
  /** Whether the server of `socket` still answers (see server-liveness.ts). */
  private liveness: ServerLiveness | null = null;
  private connected = false;
  private stopped = false;
  /** Why the connection stopped: `close()` (CLOSED) or a fatal close code; later calls reject with it. */
  private stoppedBy: RunnerConnectionError | null = null;
  private attempt = 0;
  /** Handles of the options' clock (null when no timer is set). */
  private reconnectTimer: unknown = null;
  private heartbeatTimer: unknown = null;
  private readonly builds: RunnerBuilds;
  private readonly claims = new Map<string, PendingClaim>();
  private readonly listeners = {
    cancel: new ListenerSet<[number, CancelReason]>(),
    welcome: new ListenerSet<[WelcomeMessage]>(),
    disconnect: new ListenerSet<[number]>(),
    error: new ListenerSet<[Error]>(),
    connectFailure: new ListenerSet<[Error, number, string]>(),
  };
  private firstWelcome: { resolve: (w: WelcomeMessage) => void; reject: (e: Error) => void } | null = null;
  private connecting: Promise<WelcomeMessage> | null = null;
  private opening = false;
  private readonly servers: RunnerServerUrls;
  private requestCounter = 0;

  constructor(options: RunnerConnectionOptions) {
    this.options = {
      reconnectDelayMs: 500,
      maxReconnectDelayMs: 15_000,
      random: Math.random,
      maxTraceChunkBytes: 65_536,
      serverSilenceTimeoutMs: 15_000,
      welcomeTimeoutMs: 10_000,
      createRequestId: () => `claim-${++this.requestCounter}`,
      clock: systemClock,
      ...options,
    };
    // An unusable URL is the caller's mistake: say so now, not on every reconnect.
    this.servers = new RunnerServerUrls(options);
    this.builds = new RunnerBuilds({
      send: (message) => this.send(message),
      isConnected: () => this.connected,
      cancel: (buildId, reason) => this.listeners.cancel.emit([buildId, reason], this.reportError),
      reportError: this.reportError,
      maxTraceChunkBytes: this.options.maxTraceChunkBytes,
      maxTraceMemoryBytes: this.options.maxTraceMemoryBytes,
      traceSpillDir: this.options.traceSpillDir,
      later: (fn, delayMs) => this.options.clock.setTimeout(fn, delayMs),
      cancelLater: (handle) => this.options.clock.clearTimeout(handle),
      resendDelayMs: (attempt) => reconnectDelayMs(attempt, this.options),
    });
  }

  /** Opens the socket (retrying with backoff until it gets in) and resolves with the first welcome. */
  connect(): Promise<WelcomeMessage> {
    if (this.welcome) return Promise.resolve(this.welcome);
    if (this.stoppedBy) return Promise.reject(this.stoppedBy);
    this.connecting ??= new Promise<WelcomeMessage>((resolve, reject) => {
      this.firstWelcome = { resolve, reject };
    });
    if (!this.socket && this.reconnectTimer === null) this.open();
    return this.connecting;
  }

  /** The server base URL in use, or the one the next attempt goes to while disconnected. */
  get serverUrl(): string {
    return this.servers.current;
  }

  /** True between a welcome and the socket closing. */
  get isConnected(): boolean {
    return this.connected;
  }

  /**
   * Asks for a build: the job payload, or null when none is pending for this runner. With `waitMs` the
   * server holds the claim (long poll) until a build is queued or the time is up.
   */
  claim(options: { waitMs?: number } = {}): Promise<JobPayload | null> {
    if (this.stoppedBy) return Promise.reject(this.stoppedBy);
    return new Promise((resolve, reject) => {
      const claim: PendingClaim = {
        requestId: this.options.createRequestId(),
        waitMs: options.waitMs,
        sent: false,
        resolve,
        reject,
      };
      this.claims.set(claim.requestId, claim);
      this.sendClaim(claim);
    });
  }

  /** Starts tracking a build's trace at `startOffset` (claimed builds are tracked automatically). */
  trackBuild(buildId: number, startOffset = 0): void {
    this.builds.track(buildId, startOffset);
  }

  /** Ids of the builds being tracked (running, or finishing). */
  get buildIds(): number[] {
    return this.builds.ids;
  }

  /**
   * Tells the server this runner does not hold `buildId`, which welcome's `resume` listed (the `job`
   * answer to a claim was lost): with no trace byte stored it goes back to the queue, otherwise it fails
   * with `runner_system_failure`.
   */
  release(buildId: number): void {
    if (this.connected) this.send({ type: "release", buildId });
  }

  /** Appends bytes (or UTF-8 text) to a build's trace; they are kept until the server acknowledges them. */
  appendTrace(buildId: number, data: Uint8Array | string): void {
    this.builds.append(buildId, data);
  }

  /** Bytes written to a build's trace and bytes the server acknowledged. */
  traceProgress(buildId: number): { totalBytes: number; ackedBytes: number } | null {
    return this.builds.progress(buildId);
  }

  /** Waits until every trace byte is acknowledged, reports the outcome, and resolves with the final status. */
  finish(buildId: number, outcome: BuildOutcome): Promise<BuildStatus> {
    return this.builds.finish(buildId, outcome);
  }

  /** Calls `listener(buildId, reason)` when the server cancels a build; returns the unsubscribe function. */
  onCancel(listener: (buildId: number, reason: CancelReason) => void): () => void {
    return this.listeners.cancel.add(listener);
  }
  /** Calls `listener` on every welcome (the first and each after a reconnect). */
  onWelcome(listener: (welcome: WelcomeMessage) => void): () => void {
    return this.listeners.welcome.add(listener);
  }
  /** Calls `listener(closeCode)` whenever the socket closes. */
  onDisconnect(listener: (closeCode: number) => void): () => void {
    return this.listeners.disconnect.add(listener);
  }
  /** Calls `listener` for server `error` messages, lost traces and fatal closes. */
  onError(listener: (error: Error) => void): () => void {
    return this.listeners.error.add(listener);
  }

  /**
   * Calls `listener` each time the socket cannot be opened (ECONNREFUSED, a DNS failure, an HTTP error),
   * with the cause, the delay before the next attempt and the server URL that failed: a runner can say
   * why it is not connected.
   */
  onConnectFailure(listener: (error: Error, retryInMs: number, serverUrl: string) => void): () => void {
    return this.listeners.connectFailure.add(listener);
  }

  /** Stops reconnecting, closes the socket with 1000 and rejects whatever still waits with `CLOSED`. */
  async close(): Promise<void> {
    const socket = this.socket;
    const closed =
      socket && socket.readyState !== 3
        ? new Promise<void>((resolve) => socket.addEventListener("close", () => resolve()))
        : Promise.resolve();
    this.shutDown(new RunnerConnectionError("CLOSED", "the runner connection is closed"));
    socket?.close(CLOSE_CODES.NORMAL, "runner stopping");
    await closed;
  }

  private open(): void {
    this.reconnectTimer = null;
    if (this.stopped || this.opening) return;
    this.opening = true;
    void this.socketConstructor().then(
      (Socket) => {
        this.opening = false;
        if (!this.stopped) this.attach(new Socket(this.servers.currentSocketUrl));
      },
      (error: Error) => {
        this.opening = false;
        this.reportError(error);
        this.closed(1006);
      },
    );
  }

  /** The injected constructor, else `ws`, imported only now so that browser bundles never need it. */
  private async socketConstructor(): Promise<RunnerSocketConstructor> {
    if (this.options.WebSocket) return this.options.WebSocket;
    const { WebSocket } = await import("ws");
    return WebSocket as unknown as RunnerSocketConstructor;
  }

  private attach(socket: RunnerSocket): void {
    this.socket = socket;
    const liveness = new ServerLiveness(socket, this.options.clock, this.options.serverSilenceTimeoutMs);
    this.liveness = liveness;
    let opened = false;
    let connectError: Error | null = null;
    socket.addEventListener("open", () => {
      opened = true;
      const waitMs = this.options.welcomeTimeoutMs;
      liveness.awaitWelcome(waitMs, () =>
        this.cutSilent(
          socket,
          new Error(`no welcome within ${waitMs} ms: the server does not answer`),
          false,
        ),
      );
      const { token, name, version, executor, tags } = this.options;
      this.send({ type: "hello", protocol: PROTOCOL_VERSION, token, name, version, executor, tags });
    });
    socket.addEventListener("message", (event) => {
      if (this.socket !== socket) return;
      liveness.heard();
      const text =
        typeof event.data === "string" ? event.data : Buffer.from(event.data as ArrayBuffer).toString();
      const message = parseServerToRunnerMessage(text);
      if (message.ok) this.receive(message.value);
      else
        this.listeners.error.emit(
          [
            new RunnerConnectionError(
              "PROTOCOL_ERROR",
              `unreadable message (${message.error}): ${text.slice(0, 200)}`,
            ),
          ],
          () => {},
        );
    });
    // ws reports a failed connect as `error` (with the cause) then `close`: keep the cause for `close`.
    socket.addEventListener("error", (event) => {
      const cause = (event as { error?: unknown; message?: unknown }).error;
      if (!opened)
        connectError = cause instanceof Error ? cause : new Error(String(cause ?? "connect failed"));
    });
    socket.addEventListener("close", (event) => {
      if (this.socket === socket)
        this.closed(event.code, opened ? null : (connectError ?? new Error(`closed with ${event.code}`)));
    });
  }

  private receive(message: ServerToRunnerMessage): void {
    switch (message.type) {
      case "welcome":
        this.welcomed(message);
        return;
      case "job":
      case "noJob": {
        const claim = this.claims.get(message.requestId);
        if (!claim) return;
        this.claims.delete(message.requestId);
        if (message.type === "job") this.builds.track(message.job.id);
        claim.resolve(message.type === "job" ? message.job : null);
        return;
      }
      case "traceAck":
        this.builds.acknowledged(message.buildId, message.length);
        return;
      case "cancel":
        // A build deleted on the server is no longer held: nothing more of it is sent, its finish fails.
        if (message.reason === "deleted")
          this.builds.drop(
            message.buildId,
            new RunnerConnectionError("BUILD_NOT_HELD", `build ${message.buildId} was deleted on the server`),
          );
        this.listeners.cancel.emit([message.buildId, message.reason], this.reportError);
        return;
      case "finishAck":
        this.builds.finished(message.buildId, message.status);
        return;
      case "error":
        this.reportError(new Error(`${message.code}: ${message.message}`));
        // The server could not store a build's trace or finish: it is sent again after a pause.
        if (message.code === "INTERNAL" && message.buildId !== undefined)
          this.builds.failedOnServer(message.buildId);
        return;
    }
  }

  private welcomed(welcome: WelcomeMessage): void {
    this.liveness?.welcomed();
    this.connected = true;
    this.attempt = 0;
    this.welcome = welcome;
    this.resume = welcome.resume;
    this.builds.rebase(welcome.resume);
    this.startHeartbeat(this.options.heartbeatIntervalMs ?? welcome.heartbeatIntervalMs);
    const first = this.firstWelcome;
    this.firstWelcome = null;
    first?.resolve(welcome);
    this.listeners.welcome.emit([welcome], this.reportError);
    for (const claim of this.claims.values()) this.sendClaim(claim);
    this.builds.pumpAll();
  }

  private sendClaim(claim: PendingClaim): void {
    if (!this.connected || claim.sent) return;
    claim.sent = true;
    this.send(
      claim.waitMs === undefined
        ? { type: "claim", requestId: claim.requestId }
        : { type: "claim", requestId: claim.requestId, waitMs: claim.waitMs },
    );
  }

  private send(message: RunnerToServerMessage): void {
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(message));
  }

  private startHeartbeat(intervalMs: number): void {
    this.stopHeartbeat();
    if (!(intervalMs > 0)) return;
    // One timeout after another on the clock (a clock has no interval); each beat sets the next.
    const beat = () => {
      const silentMs = this.liveness?.check() ?? null;
      if (silentMs !== null && this.socket) {
        const error = new Error(
          `${this.servers.current} answered nothing for ${silentMs} ms (not even a ping): dropping the link`,
        );
        this.cutSilent(this.socket, error, true);
        return;
      }
      if (this.connected) this.send({ type: "heartbeat", buildIds: this.buildIds });
      schedule();
    };
    const schedule = () => {
      const timer = this.options.clock.setTimeout(beat, intervalMs);
      // Heartbeats alone must not keep a process alive (Node's timers have unref; a fake clock's need not).
      (timer as { unref?: () => void } | null)?.unref?.();
      this.heartbeatTimer = timer;
    };
    schedule();
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer !== null) this.options.clock.clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  /**
   * Drops the link to a server that stopped answering and reconnects (to the next server) as after a lost
   * link; the socket's own close event, whenever it comes, is no longer this connection's business.
   */
  private cutSilent(socket: RunnerSocket, error: Error, welcomed: boolean): void {
    if (this.socket !== socket) return;
    this.socket = null;
    cutLink(socket);
    if (welcomed) this.reportError(error);
    // 1006 (RFC 6455 §7.4.1: closed without a close frame), as for a link that died by itself.
    this.closed(1006, welcomed ? null : error);
  }

  private closed(code: number, connectError: Error | null = null): void {
    this.socket = null;
    this.liveness?.stop();
    this.liveness = null;
    this.connected = false;
    this.stopHeartbeat();
    for (const [requestId, claim] of [...this.claims]) {
      if (!claim.sent) continue;
      this.claims.delete(requestId);
      claim.reject(
        new RunnerConnectionError("DISCONNECTED", "the connection closed before the claim was answered"),
      );
    }
    this.listeners.disconnect.emit([code], this.reportError);
    const fatal = fatalCloseName(code);
    if (fatal) {
      const error = new RunnerConnectionError(fatal, `the server closed the runner connection with ${code}`);
      this.reportError(error);
      this.shutDown(error);
      return;
    }
    if (this.stopped) return;
    // Any server of the list can resume this runner's builds (they share one database): the next
    // attempt goes to the next one, with the same backoff as a single server's reconnect.
    const failedUrl = this.servers.current;
    this.servers.advance();
    const delayMs = reconnectDelayMs(this.attempt++, this.options);
    this.reconnectTimer = this.options.clock.setTimeout(() => this.open(), delayMs);
    if (connectError)
      this.listeners.connectFailure.emit([connectError, delayMs, failedUrl], this.reportError);
  }

  private shutDown(error: RunnerConnectionError): void {
    this.stopped = true;
    this.liveness?.stop();
    this.stoppedBy ??= error;
    this.connected = false;
    this.stopHeartbeat();
    if (this.reconnectTimer !== null) this.options.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.firstWelcome?.reject(error);
    this.firstWelcome = null;
    for (const claim of this.claims.values()) claim.reject(error);
    this.claims.clear();
    this.builds.dropAll(error);
  }

  /** Tells the error listeners; also where a listener that throws ends up, instead of in the socket handler. */
  private readonly reportError = (error: Error): void => this.listeners.error.emit([error], () => {});
}

/** Close codes only trace watchers get: a runner socket never sees them. */
type WatcherCloseName = "BUILD_DELETED";

/** The close codes that stop the connection for good (core's table), by the error code they become. */
function fatalCloseName(code: number): Exclude<FatalCloseName, WatcherCloseName> | undefined {
  const meaning = closeCodeMeaning(code);
  if (meaning?.reaction !== "stop" || meaning.name === "BUILD_DELETED") return undefined;
  return meaning.name as Exclude<FatalCloseName, WatcherCloseName>;
}

/** Creates a runner connection; call `connect()` to open it. */
export function createRunnerConnection(options: RunnerConnectionOptions): RunnerConnection {
  return new RunnerConnection(options);
}
