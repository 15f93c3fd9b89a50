// `untracked: true` of `artifacts:` and `cache:`: the project directory's files that are not among the job's
// sources (what a clone would not hold: files the job made), with Runner's trace line for them.

import type { JobPayload } from "@buildsim/core";
import { listSourceFiles } from "./list-source-files.js";
import { selectArtifactFiles } from "./match-artifact-paths.js";

/**
 * The files of `projectDir` that are not among `job.sourceDir`'s files (every file when the job has no
 * sources), minus those `exclude` matches; relative, `/`-separated, sorted. Like Runner's
 * `git ls-files -o`, it ignores `.gitignore`: an ignored file the job wrote is untracked too.
 */
export async function untrackedFiles(
  projectDir: string,
  job: Pick<JobPayload, "sourceDir">,
  exclude: string[] = [],
): Promise<string[]> {
  const all = (await selectArtifactFiles(projectDir, ["**"], exclude)).files;
  if (!job.sourceDir) return all;
  const tracked = new Set(await listSourceFiles(job.sourceDir));
  return all.filter((file) => !tracked.has(file));
}

/** Runner's line for them (commands/helpers/file_archiver.go `processUntracked`). */
export function untrackedLine(count: number): string {
  return count > 0 ? `untracked: found ${count} files\n` : "WARNING: untracked: no files\n";
}
