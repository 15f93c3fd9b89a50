// Artifacts on the host side, shared by the shell and docker executors: dependency downloads into the project
// directory before the script, the job's own uploads after it (archive, then junit report), its dotenv report.

import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import {
  downloadArtifacts,
  type FetchFunction,
  type TransferResponse,
  type UploadKind,
  unzipInto,
  uploadArtifacts,
  zipFiles,
} from "./artifacts-transfer.js";
import type { ExecutorContext } from "./executor.js";
import { selectArtifactFiles } from "./match-artifact-paths.js";
import { readDotenvReports } from "./read-dotenv-report.js";
import type { JobStageFailure } from "./run-job-script.js";
import { sectionLine } from "./trace-lines.js";
import { untrackedFiles, untrackedLine } from "./untracked-files.js";

/** Downloads and unpacks the artifacts of the job's dependencies; a failure ends the job. */
export async function downloadDependencies(
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

/** `artifacts:paths` are due: there are some, and `artifacts:when` matches the job's state. */
function archiveDue(job: ExecutorContext["job"], state: "success" | "failed"): boolean {
  const spec = job.artifacts;
  if (!spec || (spec.paths.length === 0 && !spec.untracked)) return false;
  return spec.when === "always" || spec.when === (state === "success" ? "on_success" : "on_failure");
}

/** Zips and uploads what `artifacts:` selects. */
async function collectAndUploadArtifacts(
  { job, trace }: ExecutorContext,
  projectDir: string,
  fetchFn: FetchFunction,
  baseUrl: string,
  signal: AbortSignal,
): Promise<JobStageFailure | null> {
  const spec = job.artifacts!;
  trace("Uploading artifacts...\n");
  const files = await selectAndTrace(
    projectDir,
    spec.paths,
    spec.exclude,
    trace,
    spec.untracked ? job : null,
  );
  if (files.length === 0) return null;
  const archive = await zipFiles(projectDir, files);
  return upload(job, trace, archive, spec.expireIn, { type: "archive" }, fetchFn, baseUrl, signal);
}

/**
 * Uploads the `artifacts:reports:junit` files as the job's `junit` report: one gzip member per file, as
 * GitLab Runner sends reports. Reports go up whatever the job's outcome ("Artifacts created for
 * `artifacts:reports` are always uploaded, regardless of the job results", docs.gitlab.com/ci/yaml/#artifactsreports).
 */
export async function uploadJunitReport(
  { job, trace }: ExecutorContext,
  projectDir: string,
  fetchFn: FetchFunction,
  baseUrl: string,
  signal: AbortSignal,
): Promise<JobStageFailure | null> {
  const patterns = job.artifacts?.reportsJunit ?? [];
  if (patterns.length === 0) return null;
  trace("Uploading artifacts...\n");
  const files = await selectAndTrace(projectDir, patterns, [], trace);
  if (files.length === 0) return null;
  const members = await Promise.all(
    files.map(async (file) => gzipSync(await readFile(path.join(projectDir, file)))),
  );
  const body = new Uint8Array(Buffer.concat(members));
  const expireIn = job.artifacts?.expireIn ?? null;
  return upload(job, trace, body, expireIn, { type: "junit" }, fetchFn, baseUrl, signal);
}

/**
 * The files `paths` select, with GitLab Runner's line per pattern, plus (for `untracked: true`) the files
 * `untrackedOf`'s job made, minus `exclude`; none → Runner's `No files to upload`.
 */
async function selectAndTrace(
  projectDir: string,
  paths: string[],
  exclude: string[],
  trace: ExecutorContext["trace"],
  untrackedOf: ExecutorContext["job"] | null = null,
): Promise<string[]> {
  const selection = await selectArtifactFiles(projectDir, paths, exclude);
  for (const { pattern, fileCount } of selection.patterns) {
    trace(
      fileCount > 0
        ? `${pattern}: found ${fileCount} matching artifact files and directories\n`
        : `WARNING: ${pattern}: no matching files. Ensure that the artifact path is relative to the working directory\n`,
    );
  }
  const files = new Set(selection.files);
  if (untrackedOf) {
    const untracked = await untrackedFiles(projectDir, untrackedOf, exclude);
    trace(untrackedLine(untracked.length));
    for (const file of untracked) files.add(file);
  }
  if (files.size === 0) trace("ERROR: No files to upload\n");
  return [...files].sort();
}

/** Sends one upload and traces its outcome as GitLab Runner does; an error is the job's `api_failure`. */
async function upload(
  job: ExecutorContext["job"],
  trace: ExecutorContext["trace"],
  body: Uint8Array,
  expireIn: string | null,
  kind: UploadKind,
  fetchFn: FetchFunction,
  baseUrl: string,
  signal: AbortSignal,
): Promise<JobStageFailure | null> {
  const response = await transfer(
    () => uploadArtifacts(fetchFn, baseUrl, job, body, expireIn, signal, kind),
    signal,
  );
  const as = `Uploading artifacts as "${kind.type}" to coordinator...`;
  if (response === null) return null;
  if (response instanceof Error) {
    trace(`ERROR: ${as} ${response.message}  id=${job.id}\n`);
    return apiFailure(`could not upload artifacts: ${response.message}`);
  }
  const status = `${response.status} ${response.statusText}`;
  if (response.ok) {
    trace(`${as} ${status}  id=${job.id} responseStatus=${status}\n`);
    return null;
  }
  trace(`ERROR: ${as} ${status}  id=${job.id}\n`);
  return apiFailure(`could not upload artifacts: ${status}`);
}

/** The archive (as `artifacts:when` says), then the junit report (always). The first failure wins. */
export async function uploadJobArtifacts(
  context: ExecutorContext,
  projectDir: string,
  state: "success" | "failed",
  fetchFn: FetchFunction,
  baseUrl: string,
  signal: AbortSignal,
): Promise<JobStageFailure | null> {
  const archive = archiveDue(context.job, state);
  const junit = (context.job.artifacts?.reportsJunit ?? []).length > 0;
  if (!archive && !junit) return null;
  context.trace(sectionLine(`Uploading artifacts for ${state === "success" ? "successful" : "failed"} job`));
  const failure = archive
    ? await collectAndUploadArtifacts(context, projectDir, fetchFn, baseUrl, signal)
    : null;
  if (!junit || signal.aborted) return failure;
  return failure ?? (await uploadJunitReport(context, projectDir, fetchFn, baseUrl, signal));
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

/** Reads the job's `artifacts:reports:dotenv` files, with GitLab's warnings for what it skips. */
export async function readJobDotenv(
  { job, trace }: ExecutorContext,
  projectDir: string | null,
): Promise<Array<{ key: string; value: string }>> {
  const files = job.artifacts?.reportsDotenv ?? [];
  if (files.length === 0 || !projectDir) return [];
  const { report, missing } = await readDotenvReports(projectDir, files);
  for (const file of missing) trace(`WARNING: ${file}: no matching files for the dotenv report\n`);
  for (const line of report.invalid) trace(`WARNING: dotenv report: ignoring ${JSON.stringify(line)}\n`);
  if (report.variables.length > 0)
    trace(
      `Reporting ${report.variables.length} dotenv variable(s): ${report.variables.map((v) => v.key).join(", ")}\n`,
    );
  return report.variables;
}
