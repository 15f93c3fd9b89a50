// The runner `buildsim run` starts beside its server, on the same thread. (A worker thread was measured
// and not faster: the jobs' own processes already use the second core.)

import { createRunnerConnection } from "@buildsim/client";
import {
  createNodeHttpFetch,
  createRunner,
  type ExecutorKind,
  type ExecutorSetup,
  RUNNER_VERSION,
  runnerKeyOf,
  setUpExecutor,
} from "@buildsim/runner";

export interface LocalRunnerConfig {
  url: string;
  token: string;
  concurrent: number;
  executor: ExecutorKind;
  tags: string[];
  /** Where `cache:` archives are kept (under the data dir). */
  cacheDir?: string;
}

/** A runner created before the server starts and started once it is up. */
export interface LocalRunner {
  /** Rejects when the executor cannot be set up (`--executor docker` without a daemon). */
  start(config: LocalRunnerConfig): Promise<void>;
  /** Aborts running builds, waits for them to finish and disconnects. */
  stop(): Promise<void>;
  /** Kills every job process group at once (a second Ctrl-C, just before exiting). */
  killNow(): void;
  /** Which executor runs a build, once it started. */
  executorOf(buildId: number): string | undefined;
}

/** A runner on this thread. */
export function createLocalRunner(): LocalRunner {
  let stopRunner: (() => Promise<void>) | null = null;
  let stopping: Promise<void> | null = null;
  let setup: ExecutorSetup | null = null;
  const chosen = new Map<number, string>();
  let kind: ExecutorKind | null = null;
  return {
    async start(config) {
      kind = config.executor;
      setup = await setUpExecutor({
        kind: config.executor,
        runnerName: "buildsim-run",
        runnerVersion: RUNNER_VERSION,
        serverUrl: config.url,
        token: config.token,
        // The server's port changes every run; the data dir's runner token does not.
        runnerKey: runnerKeyOf("local", config.token),
        ...(config.cacheDir ? { cacheDir: config.cacheDir } : {}),
        fetch: createNodeHttpFetch(),
        onChoice: (buildId, executor) => chosen.set(buildId, executor),
      });
      const runner = createRunner({
        connection: createRunnerConnection({
          url: config.url,
          token: config.token,
          name: "buildsim-run",
          version: RUNNER_VERSION,
          executor: setup.executor.name,
          tags: config.tags,
        }),
        executor: setup.executor,
        concurrent: config.concurrent,
      });
      const running = runner.run();
      const current = setup;
      stopRunner = async () => {
        await runner.stop({ abortRunning: true });
        await running;
        await current.close();
      };
    },
    stop() {
      stopping ??= stopRunner ? stopRunner() : Promise.resolve();
      return stopping;
    },
    killNow() {
      setup?.reaper?.killAllNow();
    },
    executorOf(buildId) {
      return chosen.get(buildId) ?? (kind === "auto" ? undefined : (kind ?? undefined));
    },
  };
}
