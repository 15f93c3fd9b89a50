// The shell executor: each build's steps run with bash in a fresh directory, artifacts go over HTTP.

import os from "node:os";
import path from "node:path";
import {
  downloadArtifacts,
  type FetchFunction,
  httpBaseUrl,
  type TransferResponse,
  unzipInto,
  uploadArtifacts,
  zipFiles,
} from "./artifacts-transfer.js";
import type { Clock } from "./clock.js";
import type { Executor, ExecutorContext } from "./executor.js";
import { expandArtifacts, type PreparedVariables, prepareJobVariables } from "./job-variables.js";
import { listSourceFiles } from "./list-source-files.js";
import { selectArtifactFiles } from "./match-artifact-paths.js";
import { type BuildDir, prepareBuildDir } from "./prepare-build-dir.js";
import { readDotenvReports } from "./read-dotenv-report.js";
import { type JobStageFailure, runJobScript } from "./run-job-script.js";
import { runShellStep, type SpawnFunction } from "./run-shell-step.js";
import { sectionLine } from "./trace-lines.js";

export interface ShellExecutorOptions {
  runnerName: string;
  runnerVersion: string;
  /** The server's base URL, for artifact uploads and dependency downloads. */
  serverUrl: string;
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
}

/** The shell executor (see the file header). */
export function createShellExecutor(options: ShellExecutorOptions): Executor {
  const buildsDir = options.buildsDir ?? path.join(os.tmpdir(), "buildsim-builds");
  const fetchFn = options.fetch ?? globalThis.fetch;
  const baseUrl = httpBaseUrl(options.serverUrl);
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
            return downloadDependencies(context, dir.projectDir, fetchFn, baseUrl, signal);
          },
          runStep: (step, signal, stepEnv) =>
            runShellStep({
              step,
              cwd: dir!.projectDir,
              scriptDir: dir!.scriptDir,
              env: stepEnv ? { ...env, ...stepEnv } : env,
              trace,
              signal,
              killGraceMs: options.killGraceMs ?? 1000,
              spawn: options.spawn,
            }),
          finalize: (state, signal) =>
            collectAndUploadArtifacts(
              context,
              dir!.projectDir,
              state,
              fetchFn,
              baseUrl,
              signal,
              vars?.values ?? {},
            ),
          async dotenv() {
            const files = job.artifacts
              ? expandArtifacts(job.artifacts, vars?.values ?? {}).reportsDotenv
              : [];
            if (files.length === 0 || !dir) return [];
            const { report, missing } = await readDotenvReports(dir.projectDir, files);
            for (const file of missing) trace(`WARNING: ${file}: no matching files for the dotenv report\n`);
            for (const line of report.invalid)
              trace(`WARNING: dotenv report: ignoring ${JSON.stringify(line)}\n`);
            if (report.variables.length > 0)
              trace(
                `Reporting ${report.variables.length} dotenv variable(s): ${report.variables.map((v) => v.key).join(", ")}\n`,
              );
            return report.variables;
          },
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

async function downloadDependencies(
  { job, trace }: ExecutorContext,
  projectDir: string,
  fetchFn: FetchFunction,
  baseUrl: string,
  signal: AbortSignal,
): Promise<JobStageFailure | null> {
  const withArtifacts = job.dependencies.filter((dependency) => dependency.artifactsFile !== null);
  if (withArtifacts.length === 0) return null;
  trace(sectionLine("Downloading artifacts"));
  // Every download starts at once; they are reported and unpacked one by one, in order.
  const responses = withArtifacts.map((dependency) =>
    transfer(() => downloadArtifacts(fetchFn, baseUrl, dependency, signal), signal),
  );
  for (const [i, dependency] of withArtifacts.entries()) {
    trace(`Downloading artifacts for ${dependency.name} (${dependency.id})...\n`);
    const response = await responses[i]!;
    // Canceled or timed out meanwhile: the job's abort decides the outcome.
    if (response === null) return null;
    if (response instanceof Error) {
      trace(`ERROR: Downloading artifacts from coordinator... ${response.message}  id=${dependency.id}\n`);
      return apiFailure(
        `could not download the artifacts of ${dependency.name} (${dependency.id}): ${response.message}`,
      );
    }
    const status = `${response.status} ${response.statusText}`;
    if (!response.ok) {
      trace(`ERROR: Downloading artifacts from coordinator... ${status}  id=${dependency.id}\n`);
      const missing = response.status === 404 || response.status === 403;
      return {
        state: "failed",
        exitCode: null,
        failureReason: missing ? "missing_dependency_failure" : "api_failure",
        summary: `could not download the artifacts of ${dependency.name} (${dependency.id}): ${status}`,
      };
    }
    trace(`Downloading artifacts from coordinator... ok  id=${dependency.id} responseStatus=${status}\n`);
    const { skipped } = await unzipInto(projectDir, response.body);
    for (const name of skipped) trace(`WARNING: ${name}: skipped, it points outside the project directory\n`);
  }
  return null;
}

async function collectAndUploadArtifacts(
  { job, trace }: ExecutorContext,
  projectDir: string,
  state: "success" | "failed",
  fetchFn: FetchFunction,
  baseUrl: string,
  signal: AbortSignal,
  values: Readonly<Record<string, string>>,
): Promise<JobStageFailure | null> {
  // The runner expands variables in `artifacts:paths`, `exclude` and `name`.
  const spec = job.artifacts && expandArtifacts(job.artifacts, values);
  if (!spec || spec.paths.length === 0) return null;
  if (spec.when !== "always" && spec.when !== (state === "success" ? "on_success" : "on_failure"))
    return null;
  trace(sectionLine(`Uploading artifacts for ${state === "success" ? "successful" : "failed"} job`));
  trace("Uploading artifacts...\n");
  const selection = await selectArtifactFiles(projectDir, spec.paths, spec.exclude);
  for (const { pattern, fileCount } of selection.patterns) {
    trace(
      fileCount > 0
        ? `${pattern}: found ${fileCount} matching artifact files and directories\n`
        : `WARNING: ${pattern}: no matching files. Ensure that the artifact path is relative to the working directory\n`,
    );
  }
  if (selection.files.length === 0) {
    trace("ERROR: No files to upload\n");
    return null;
  }
  const archive = await zipFiles(projectDir, selection.files);
  const response = await transfer(
    () => uploadArtifacts(fetchFn, baseUrl, job, archive, spec.expireIn, signal),
    signal,
  );
  if (response === null) return null;
  if (response instanceof Error) {
    trace(`ERROR: Uploading artifacts as "archive" to coordinator... ${response.message}  id=${job.id}\n`);
    return apiFailure(`could not upload artifacts: ${response.message}`);
  }
  const status = `${response.status} ${response.statusText}`;
  if (response.ok) {
    trace(
      `Uploading artifacts as "archive" to coordinator... ${status}  id=${job.id} responseStatus=${status}\n`,
    );
    return null;
  }
  trace(`ERROR: Uploading artifacts as "archive" to coordinator... ${status}  id=${job.id}\n`);
  return apiFailure(`could not upload artifacts: ${status}`);
}

/** The server could not be reached or answered with an error: GitLab's `api_failure`. */
function apiFailure(summary: string): JobStageFailure {
  return { state: "failed", exitCode: null, failureReason: "api_failure", summary };
}

/** Runs an HTTP transfer: its response, the network error, or null when `signal` aborted it. */
async function transfer(
  run: () => Promise<TransferResponse>,
  signal: AbortSignal,
): Promise<TransferResponse | Error | null> {
  try {
    return await run();
  } catch (error) {
    if (signal.aborted) return null;
    const cause = (error as Error & { cause?: Error }).cause;
    return new Error(cause?.message ?? (error as Error).message);
  }
}
