// WebSocket clients for the benchmarks: child-process servers, a runner that claims, watchers that count.

import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PROTOCOL_VERSION, RUNNER_WS_PATH, type ServerToRunnerMessage, TRACE_WS_PATH } from "@buildsim/core";
import WebSocket from "ws";

const here = path.dirname(fileURLToPath(import.meta.url));

/** A server child process and its URL. */
export interface ChildServer {
  url: string;
  /** Stops the child; resolves with the CPU time (user + system, µs) it used since `resetCpu`. */
  stop(): Promise<number>;
  /** Starts the child's CPU accounting now (after setup); resolves once it has. */
  resetCpu(): Promise<void>;
}

/** Starts `script` (in this directory) with `args`; resolves with the URL it prints. */
export function startChild(script: string, args: string[] = []): Promise<ChildServer> {
  // BENCH_NODE_FLAGS (e.g. `--cpu-prof`) go to the server children, for profiling them.
  const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter((f) => f !== "");
  const child: ChildProcess = spawn(process.execPath, [...flags, path.join(here, script), ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: Array<(line: string) => void> = [];
  let text = "";
  child.stdout!.on("data", (c: Buffer) => {
    text += c.toString();
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n")) {
      const line = text.slice(0, nl);
      text = text.slice(nl + 1);
      lines.shift()?.(line);
    }
  });
  const nextLine = () => new Promise<string>((resolve) => lines.push(resolve));
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
    void nextLine().then((first) => {
      const { url } = JSON.parse(first) as { url: string };
      resolve({
        url,
        resetCpu: async () => {
          const ack = nextLine();
          child.kill("SIGUSR2");
          await ack;
        },
        stop: async () => {
          const report = nextLine();
          child.kill("SIGTERM");
          return (JSON.parse(await report) as { cpuMicros: number }).cpuMicros;
        },
      });
    });
  });
}

/** Opens a socket that buffers from its first frame; resolves once open. */
export function open(url: string, onMessage: (text: string) => void, headers: Record<string, string> = {}) {
  const socket = new WebSocket(url, { headers, perMessageDeflate: false });
  socket.on("message", (data) => onMessage(data.toString()));
  return new Promise<WebSocket>((resolve, reject) => {
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

export const wsUrl = (url: string, p: string) => `${url.replace(/^http/, "ws")}${p}`;

/** A runner connection: hello, then `claim` resolves with each claim's answer, matched by its requestId. */
export async function openRunner(url: string, token: string) {
  let hello: ((m: ServerToRunnerMessage) => void) | undefined;
  const claims = new Map<string, (m: ServerToRunnerMessage) => void>();
  const acks: Array<(m: ServerToRunnerMessage) => void> = [];
  let onAck: ((length: number) => void) | null = null;
  /** An `error` naming no build came while claims were waiting: the claim the server could not serve. */
  let claimFailed = false;
  const socket = await open(wsUrl(url, RUNNER_WS_PATH), (text) => {
    const m = JSON.parse(text) as ServerToRunnerMessage;
    if (m.type === "traceAck") onAck?.(m.length);
    else if ((m.type === "job" || m.type === "noJob") && claims.has(m.requestId)) {
      const answer = claims.get(m.requestId)!;
      claims.delete(m.requestId);
      // A claim the server could not serve (a transaction that kept losing) is answered with an error,
      // then its own `noJob` (runner-hub.ts): reported as the error, so the caller asks again.
      if (m.type === "noJob" && claimFailed) {
        claimFailed = false;
        answer({ type: "error", code: "INTERNAL", message: "claim failed on the server" });
      } else answer(m);
    } else if (m.type === "error" && m.buildId === undefined && claims.size > 0) claimFailed = true;
    else if (m.type === "welcome" || (m.type === "error" && hello)) {
      hello?.(m);
      hello = undefined;
    } else acks.shift()?.(m);
  });
  const welcome = new Promise<ServerToRunnerMessage>((resolve) => {
    hello = resolve;
  });
  socket.send(JSON.stringify({ type: "hello", protocol: PROTOCOL_VERSION, token }));
  await welcome;
  return {
    socket,
    /** Claims a build; with `waitMs`, the server holds the claim that long while nothing is pending. */
    claim: (requestId: string, waitMs = 0) =>
      new Promise<ServerToRunnerMessage>((resolve) => {
        claims.set(requestId, resolve);
        socket.send(
          JSON.stringify(waitMs > 0 ? { type: "claim", requestId, waitMs } : { type: "claim", requestId }),
        );
      }),
    /** Finishes a claimed build as a success (no trace); resolves with the server's `finishAck`. */
    finish: (buildId: number) =>
      new Promise<ServerToRunnerMessage>((resolve) => {
        acks.push(resolve);
        socket.send(
          JSON.stringify({ type: "finish", buildId, state: "success", exitCode: 0, traceBytes: 0 }),
        );
      }),
    /** Called with every acknowledged length. */
    onAck(fn: (length: number) => void) {
      onAck = fn;
    },
  };
}

/** The trace watcher URL of build `buildId` of project 1. */
export const watcherUrl = (url: string, buildId: number, token: string) =>
  wsUrl(url, `${TRACE_WS_PATH}?project=1&build=${buildId}&private_token=${token}`);
