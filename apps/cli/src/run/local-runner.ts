// The runner `buildsim run` starts beside its server, on the same thread. (A worker thread was measured
// and not faster: the jobs' own processes already use the second core.)

import { createRunnerConnection } from "@buildsim/client";
import {
  createNodeHttpFetch,
  createRunner,
  createShellExecutor,
  createSimulateExecutor,
  RUNNER_VERSION,
} from "@buildsim/runner";

export interface LocalRunnerConfig {
  url: string;
  token: string;
  concurrent: number;
  executor: "shell" | "simulate";
  tags: string[];
}

/** A runner created before the server starts and started once it is up. */
export interface LocalRunner {
  start(config: LocalRunnerConfig): void;
  /** Aborts running builds, waits for them to finish and disconnects. */
  stop(): Promise<void>;
}

/** A runner on this thread. */
export function createLocalRunner(): LocalRunner {
  let stopRunner: (() => Promise<void>) | null = null;
  let stopping: Promise<void> | null = null;
  return {
    start(config) {
      const common = { runnerName: "buildsim-run", runnerVersion: RUNNER_VERSION };
      const runner = createRunner({
        connection: createRunnerConnection({
          url: config.url,
          token: config.token,
          name: "buildsim-run",
          version: RUNNER_VERSION,
          executor: config.executor,
          tags: config.tags,
        }),
        executor:
          config.executor === "simulate"
            ? createSimulateExecutor(common)
            : createShellExecutor({ ...common, serverUrl: config.url, fetch: createNodeHttpFetch() }),
        concurrent: config.concurrent,
      });
      const running = runner.run();
      stopRunner = async () => {
        await runner.stop({ abortRunning: true });
        await running;
      };
    },
    stop() {
      stopping ??= stopRunner ? stopRunner() : Promise.resolve();
      return stopping;
    },
  };
}
