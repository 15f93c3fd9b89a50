// `buildsim runner`: parses flags, connects, runs builds until a signal says stop; resolves with the exit code.

import { createRequire } from "node:module";
import os from "node:os";
import {
  createRunnerConnection,
  RunnerConnectionError,
  type RunnerSocketConstructor,
} from "@buildsim/client";
import { parseRunnerArgs, RUNNER_USAGE } from "./parse-runner-args.js";
import { createRunner } from "./runner.js";
import { type ExecutorSetup, runnerKeyOf, setUpExecutor } from "./set-up-executor.js";

/** The runner package's version, as shown in trace headers and sent in hello. */
export const RUNNER_VERSION: string = createRequire(import.meta.url)("../package.json").version;

/** What the CLI talks to; `process` in production. */
export interface RunnerCliIo {
  env: Record<string, string | undefined>;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Where SIGTERM/SIGINT/SIGQUIT arrive. */
  signals: Pick<NodeJS.Process, "on" | "off">;
  WebSocket?: RunnerSocketConstructor;
  /** Exits the process at once (a second SIGINT/SIGTERM). @default process.exit */
  exit?: (code: number) => void;
}

const defaultIo = (): RunnerCliIo => ({
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  signals: process,
  exit: (code) => process.exit(code),
});

/**
 * Runs the runner CLI on `argv` (the arguments after `runner`). Exit codes: 0 after SIGQUIT's drain, 130 after
 * SIGTERM/SIGINT, 1 when the server refuses the runner (token or protocol), 2 for bad arguments.
 */
export async function runRunnerCli(argv: string[], io: RunnerCliIo = defaultIo()): Promise<number> {
  const parsed = parseRunnerArgs(argv, io.env, os.hostname());
  if (!parsed.ok) {
    io.stderr(`buildsim runner: ${parsed.error}`);
    io.stderr("see 'buildsim runner --help'");
    return 2;
  }
  const options = parsed.options;
  if (options.help) {
    io.stdout(RUNNER_USAGE);
    return 0;
  }
  let setup: ExecutorSetup;
  // Set once the connection exists: artifacts go to the server the runner is on at each transfer.
  let currentServer = () => options.url;
  const multiServer = options.urls.length > 1;
  try {
    setup = await setUpExecutor({
      kind: options.executor,
      runnerName: options.name,
      runnerVersion: RUNNER_VERSION,
      serverUrl: multiServer ? () => currentServer() : options.url,
      // One URL keeps the key it always had; a list is keyed by its set, whatever the order given.
      ...(multiServer ? { runnerKey: runnerKeyOf([...options.urls].sort().join(","), options.token) } : {}),
      token: options.token,
      ...(options.buildsDir ? { buildsDir: options.buildsDir } : {}),
      ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      log: io.stdout,
    });
  } catch (error) {
    io.stderr(`buildsim runner: ${(error as Error).message}`);
    return 1;
  }
  const executor = setup.executor;
  const connection = createRunnerConnection({
    urls: options.urls,
    token: options.token,
    name: options.name,
    version: RUNNER_VERSION,
    executor: executor.name,
    tags: options.tags,
    ...(io.WebSocket ? { WebSocket: io.WebSocket } : {}),
  });
  currentServer = () => connection.serverUrl;
  connection.onWelcome((welcome) =>
    io.stdout(`connected as runner ${welcome.runnerId} to ${connection.serverUrl}`),
  );
  // Not silent while the server is unreachable: the cause and when it tries again, once per attempt.
  connection.onConnectFailure((error, retryInMs, url) => {
    const code = (error as NodeJS.ErrnoException).code;
    const next = multiServer ? `trying ${connection.serverUrl}` : "retrying";
    io.stderr(
      `buildsim runner: cannot reach ${url}${code ? ` (${code})` : ""}: ${code === "ECONNREFUSED" ? "nothing listens there; is the server running?" : `${error.message};`} ${next} in ${(retryInMs / 1000).toFixed(1)}s`,
    );
  });
  const runner = createRunner({ connection, executor, concurrent: options.concurrent, log: io.stdout });

  // As GitLab Runner: SIGQUIT drains; SIGTERM/SIGINT abort running builds; a second one stops waiting.
  let draining = false;
  let aborting = false;
  const drain = () => {
    if (draining || aborting) return;
    draining = true;
    io.stdout("stopping: no more builds; waiting for the running ones");
    void runner.stop({ abortRunning: false });
  };
  const abort = () => {
    if (aborting) {
      // Second signal: exit now; the job groups die here, the reaper removes containers once we are gone.
      io.stdout("stopping now: giving up on unfinished builds");
      setup.reaper?.killAllNow();
      void connection.close();
      io.exit?.(130);
      return;
    }
    aborting = true;
    io.stdout("stopping: aborting running builds");
    void runner.stop({ abortRunning: true });
  };
  const handlers: Array<[NodeJS.Signals, () => void]> = [
    ["SIGTERM", abort],
    ["SIGINT", abort],
    ["SIGQUIT", drain],
  ];
  for (const [signal, handler] of handlers) io.signals.on(signal, handler);
  try {
    await runner.run();
    return aborting ? 130 : 0;
  } catch (error) {
    // Stopped by a signal before the first welcome (a dead URL): that is the stop asked for, not a refusal.
    if (error instanceof RunnerConnectionError && error.code === "CLOSED" && (aborting || draining))
      return aborting ? 130 : 0;
    if (error instanceof RunnerConnectionError) {
      io.stderr(`buildsim runner: the server refused this runner (${error.code}): ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    for (const [signal, handler] of handlers) io.signals.off(signal, handler);
    await connection.close();
    await setup.close();
  }
}
