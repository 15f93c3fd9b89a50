// A minimal runner speaking core's runner protocol over a real socket, so e2e tests can feed a trace live.

import {
  type JobPayload,
  PROTOCOL_VERSION,
  RUNNER_WS_PATH,
  type RunnerToServerMessage,
  type ServerToRunnerMessage,
} from "@buildsim/core";
import WebSocket from "ws";

/** A connected runner: claims one job and appends its trace, each step awaited by its acknowledgement. */
export class RunnerPeer {
  readonly #socket: WebSocket;
  readonly #inbox: ServerToRunnerMessage[] = [];
  #wake: (() => void) | null = null;
  #closed = false;
  #traceBytes = 0;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on("message", (data) => {
      this.#inbox.push(JSON.parse(data.toString()) as ServerToRunnerMessage);
      this.#wake?.();
    });
    socket.on("close", () => {
      this.#closed = true;
      this.#wake?.();
    });
  }

  /** Connects and says hello; resolves once the server's welcome arrives. */
  static async connect(baseUrl: string, token: string): Promise<RunnerPeer> {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}${RUNNER_WS_PATH}`);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    const peer = new RunnerPeer(socket);
    peer.#send({ type: "hello", protocol: PROTOCOL_VERSION, token, name: "e2e" });
    await peer.#next("welcome");
    return peer;
  }

  /** Claims the oldest matching pending build. */
  async claim(): Promise<JobPayload> {
    this.#send({ type: "claim", requestId: "e2e-1" });
    return (await this.#next("job")).job;
  }

  /** Appends `bytes` at the end of the trace and waits until the server has stored them. */
  async trace(buildId: number, bytes: Uint8Array): Promise<void> {
    this.#send({
      type: "trace",
      buildId,
      offset: this.#traceBytes,
      data: Buffer.from(bytes).toString("base64"),
    });
    this.#traceBytes = (await this.#next("traceAck")).length;
  }

  /** Finishes the build and returns the status it ended with. */
  async finish(buildId: number, state: "success" | "failed"): Promise<string> {
    this.#send({
      type: "finish",
      buildId,
      state,
      exitCode: state === "success" ? 0 : 1,
      traceBytes: this.#traceBytes,
    });
    return (await this.#next("finishAck")).status;
  }

  close(): void {
    this.#socket.close();
  }

  #send(message: RunnerToServerMessage): void {
    this.#socket.send(JSON.stringify(message));
  }

  async #next<T extends ServerToRunnerMessage["type"]>(
    type: T,
  ): Promise<Extract<ServerToRunnerMessage, { type: T }>> {
    for (;;) {
      const message = this.#inbox.shift();
      if (message?.type === type) return message as Extract<ServerToRunnerMessage, { type: T }>;
      if (message && message.type !== "noJob")
        throw new Error(`expected ${type}, got ${JSON.stringify(message)}`);
      if (!message && this.#closed) throw new Error(`runner socket closed while waiting for ${type}`);
      if (!message) await new Promise<void>((resolve) => (this.#wake = resolve));
    }
  }
}
