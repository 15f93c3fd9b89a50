// Builds the executor a runner process uses, with what keeps it clean: the reaper that kills its jobs if the
// runner dies, and the sweep of what dead earlier lives of the same runner left behind. Each runner process
// is an instance of its runner (see runner-instance.ts): it labels and removes only its own things.

import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import type { FetchFunction, ServerUrlSource } from "./artifacts-transfer.js";
import { createAutoExecutor, dockerAnswers } from "./auto-executor.js";
import { cleanEarlierLife } from "./clean-earlier-life.js";
import { createDockerExecutor } from "./docker/docker-executor.js";
import type { Executor } from "./executor.js";
import { type JobReaper, startJobReaper } from "./job-reaper.js";
import { createRunnerInstance } from "./runner-instance.js";
import { createShellExecutor } from "./shell-executor.js";
import { createSimulateExecutor } from "./simulate-executor.js";

export type ExecutorKind = "auto" | "docker" | "shell" | "simulate";

export interface SetUpExecutorOptions {
  kind: ExecutorKind;
  runnerName: string;
  runnerVersion: string;
  /** Where artifacts go: a URL, or a function giving the server the runner is connected to now. */
  serverUrl: ServerUrlSource;
  /** The runner's token: with the URL it names the runner across restarts (labels, build directories). */
  token: string;
  /** Overrides the key made from URL and token (a local runner whose server port changes every run). */
  runnerKey?: string;
  /**
   * Parent of the runners' build directories: this process builds in `<buildsDir>/<runner key>/<instance id>`.
   * @default `<os tmpdir>/buildsim-builds`
   */
  buildsDir?: string;
  /** Where `cache:` archives live (per project below it). @default no caching */
  cacheDir?: string;
  fetch?: FetchFunction;
  /** Told which executor runs each build (auto chooses per job). */
  onChoice?: (buildId: number, executor: "shell" | "docker" | "simulate") => void;
  /** Progress lines for people. */
  log?: (line: string) => void;
}

export interface ExecutorSetup {
  executor: Executor;
  /** Null for the simulate executor, which starts no processes. */
  reaper: JobReaper | null;
  runnerKey: string;
  /** This runner process (`<pid>-<random>`): its containers, networks and build directory carry it. */
  instanceId: string;
  /** Stops the reaper (its sweep finds nothing left after a clean stop). */
  close(): Promise<void>;
}

/** A short, stable name for a runner: the same URL and token give the same key in every life of it. */
export function runnerKeyOf(serverUrl: string, token: string): string {
  return createHash("sha256").update(`${serverUrl}\0${token}`).digest("hex").slice(0, 12);
}

/** Sets up the executor `kind` (see the file header); `docker` fails at once when no daemon answers. */
export async function setUpExecutor(options: SetUpExecutorOptions): Promise<ExecutorSetup> {
  const runnerKey =
    options.runnerKey ??
    runnerKeyOf(
      typeof options.serverUrl === "string" ? options.serverUrl : options.serverUrl(),
      options.token,
    );
  const common = { runnerName: options.runnerName, runnerVersion: options.runnerVersion };
  const instance = createRunnerInstance(runnerKey);
  if (options.kind === "simulate") {
    const simulate = createSimulateExecutor(common);
    return { executor: simulate, reaper: null, runnerKey, instanceId: instance.id, close: async () => {} };
  }
  const runnerDir = path.join(options.buildsDir ?? path.join(os.tmpdir(), "buildsim-builds"), runnerKey);
  const buildsDir = path.join(runnerDir, instance.id);
  const client = new Docker();
  // A loaded machine answers slowly: a missed answer here would skip the sweep of what earlier lives left.
  const daemon = options.kind === "shell" ? false : await dockerAnswers(client, 10_000);
  if (options.kind === "docker" && !daemon)
    throw new Error("the docker executor needs a Docker daemon, and none answers (is dockerd running?)");
  const left = await cleanEarlierLife({ instance, runnerDir, docker: daemon ? client : null });
  if (left.containers + left.networks + left.buildDirs > 0)
    options.log?.(
      `removed ${left.containers} container(s), ${left.networks} network(s) and ${left.buildDirs} build directory(ies) earlier runs of this runner left`,
    );
  const reaper = startJobReaper({ instanceId: instance.id, docker: daemon, buildsDir });
  const cache = options.cacheDir ? { rootDir: options.cacheDir } : undefined;
  const shared = {
    ...common,
    serverUrl: options.serverUrl,
    buildsDir,
    ...(cache ? { cache } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const shell = createShellExecutor({ ...shared, processGroups: reaper });
  let executor: Executor = shell;
  if (options.kind === "docker")
    executor = createDockerExecutor({ ...shared, runnerKey, instance, docker: client });
  else if (options.kind === "auto")
    executor = createAutoExecutor({
      shell,
      docker: createDockerExecutor({ ...shared, runnerKey, instance, docker: client }),
      client,
      ...(options.onChoice ? { onChoice: options.onChoice } : {}),
    });
  return { executor, reaper, runnerKey, instanceId: instance.id, close: () => reaper.close() };
}
