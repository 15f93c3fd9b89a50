// The shell executor: each build's steps run with bash in a fresh directory, artifacts go over HTTP.

import os from "node:os";
import path from "node:path";
import type { Clock } from "@buildsim/core";
import { currentHttpBaseUrl, type FetchFunction, type ServerUrlSource } from "./artifacts-transfer.js";
import type { Executor, ExecutorContext } from "./executor.js";
import { downloadDependencies, readJobDotenv, uploadJobArtifacts } from "./job-artifacts.js";
import { type JobCacheStore, restoreJobCaches, saveJobCaches } from "./job-cache.js";
import type { ProcessGroupRegistry } from "./job-reaper.js";
import { expandArtifacts, type PreparedVariables, prepareJobVariables } from "./job-variables.js";
import { listSourceFiles } from "./list-source-files.js";
import { type BuildDir, prepareBuildDir } from "./prepare-build-dir.js";
import { runJobScript } from "./run-job-script.js";
import { runShellStep, type SpawnFunction } from "./run-shell-step.js";
import { sectionLine } from "./trace-lines.js";

export interface ShellExecutorOptions {
  runnerName: string;
  runnerVersion: string;
  /** Where artifacts are uploaded and downloaded: a URL, or a function giving the server in use now. */
  serverUrl: ServerUrlSource;
  /** Parent of the per-build directories. @default `<os tmpdir>/buildsim-builds` */
  buildsDir?: string;
  /** Time between SIGTERM and SIGKILL to a canceled step's process group. @default 1000 */
  killGraceMs?: number;
  /** Keep each build's directory after the job (for debugging). @default false */
  keepBuildDirs?: boolean;
  /** Environment the job variables are added to. @default process.env */
  baseEnv?: NodeJS.ProcessEnv;
  /** @default globalThis.fetch */
  fetch?: FetchFunction;
  /** @default child_process.spawn */
  spawn?: SpawnFunction;
  /** Drives the job timeout. @default systemClock */
  clock?: Clock;
  /** Where `cache:` archives live; no caching without it. */
  cache?: JobCacheStore;
  /** Told each step's process group as it starts and ends, so it can be killed if the runner dies. */
  processGroups?: ProcessGroupRegistry;
}

/** The shell executor (see the file header). */
export function createShellExecutor(options: ShellExecutorOptions): Executor {
  const buildsDir = options.buildsDir ?? path.join(os.tmpdir(), "buildsim-builds");
  const fetchFn = options.fetch ?? globalThis.fetch;
  // Read at each transfer: a runner that failed over sends artifacts to the server it is on now.
  const baseUrl = () => currentHttpBaseUrl(options.serverUrl);
  // Every job of a pipeline runs the same commit: list its sources once, not with a git process per job.
  const listings = new Map<string, Promise<string[]>>();
  const listFor = (sha: string) => (sourceDir: string) => {
    const key = `${sourceDir}\0${sha}`;
    let listing = listings.get(key);
    if (!listing) {
      if (listings.size >= 16) listings.clear();
      listing = listSourceFiles(sourceDir);
      listing.catch(() => listings.delete(key));
      listings.set(key, listing);
    }
    return listing;
  };
  return {
    name: "shell",
    async run(context) {
      const { job, trace } = context;
      let dir: BuildDir | null = null;
      let env: NodeJS.ProcessEnv = {};
      let vars: PreparedVariables | null = null;
      // The runner expands variables in `artifacts:paths`, `exclude`, `name` and `reports:dotenv`.
      let expanded: ExecutorContext = context;
      return runJobScript(
        context,
        {
          executor: "shell",
          async prepare(signal) {
            dir = await prepareBuildDir(buildsDir, job.id, job.sourceDir, listFor(job.sha));
            if (job.sourceDir) trace(sectionLine(`Copying sources from ${job.sourceDir}`));
            // File-type variables go outside the project directory and are removed after the job.
            vars = await prepareJobVariables(job.variables, path.join(dir.scriptDir, "variables"), {
              CI_PROJECT_DIR: dir.projectDir,
              CI_BUILDS_DIR: dir.root,
            });
            env = { ...(options.baseEnv ?? process.env), ...vars.values };
            const values = vars.values;
            expanded = {
              ...context,
              job: { ...job, artifacts: job.artifacts && expandArtifacts(job.artifacts, values) },
            };
            if (options.cache) await restoreJobCaches(context, options.cache, dir.projectDir);
            return downloadDependencies(context, dir.projectDir, fetchFn, baseUrl(), signal);
          },
          runStep: (step, signal, jobStatus) =>
            runShellStep({
              step,
              cwd: dir!.projectDir,
              scriptDir: dir!.scriptDir,
              env: jobStatus ? { ...env, CI_JOB_STATUS: jobStatus } : env,
              processGroups: options.processGroups,
              trace,
              signal,
              killGraceMs: options.killGraceMs ?? 1000,
              spawn: options.spawn,
            }),
          async finalize(state, signal) {
            if (options.cache) await saveJobCaches(context, options.cache, dir!.projectDir, state);
            return uploadJobArtifacts(expanded, dir!.projectDir, state, fetchFn, baseUrl(), signal);
          },
          dotenv: () => readJobDotenv(expanded, dir?.projectDir ?? null),
          async cleanup() {
            await vars?.removeFiles();
            if (dir && !options.keepBuildDirs) await dir.remove();
          },
        },
        options,
      );
    },
  };
}
