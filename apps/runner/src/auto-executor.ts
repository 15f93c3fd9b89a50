// `--executor auto`: jobs with an image run in Docker when a daemon answers, every other job on the host.

import type Docker from "dockerode";
import type { Executor } from "./executor.js";

export interface AutoExecutorOptions {
  shell: Executor;
  docker: Executor;
  /** The daemon that would run the containers; asked once, at the first job with an image. */
  client: Docker;
  /** Told which executor runs each build (the board shows it). */
  onChoice?: (buildId: number, executor: "shell" | "docker") => void;
}

/** Whether a Docker daemon answers a ping within `timeoutMs`. */
export async function dockerAnswers(client: Docker, timeoutMs = 2000): Promise<boolean> {
  try {
    await Promise.race([
      client.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), timeoutMs).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** The auto executor (see the file header). */
export function createAutoExecutor(options: AutoExecutorOptions): Executor {
  let available: Promise<boolean> | null = null;
  return {
    name: "auto",
    async run(context) {
      available ??= context.job.image ? dockerAnswers(options.client) : null;
      const useDocker = context.job.image !== null && (await available) === true;
      options.onChoice?.(context.job.id, useDocker ? "docker" : "shell");
      return (useDocker ? options.docker : options.shell).run(context);
    },
  };
}
