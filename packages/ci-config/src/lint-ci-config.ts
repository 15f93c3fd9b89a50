// `buildsim lint`'s engine: every problem of a CI config and its includes, formatted `file:line:col: message`.

import { type LoadCiConfigOptions, loadCiConfig } from "./load-ci-config.js";
import type { CiFileReader } from "./load-includes.js";
import type { CiProblem } from "./source-pos.js";

export interface LintResult {
  valid: boolean;
  /** Every error, in the order found (file order within a stage of checking). */
  problems: CiProblem[];
  /** Valid GitLab config that buildsim will not run. */
  warnings: CiProblem[];
}

/** Lints a config read through `options.readFile`. */
export function lintCiConfig(options: LoadCiConfigOptions): LintResult {
  const { problems, warnings } = loadCiConfig(options);
  return { valid: problems.length === 0, problems, warnings };
}

/** Lints in-memory sources keyed by repository path; `entryFile` defaults to `.gitlab-ci.yml`. */
export function lintCiSources(
  files: Readonly<Record<string, string>>,
  entryFile = ".gitlab-ci.yml",
): LintResult {
  return lintCiConfig({ entryFile, readFile: createMemoryReader(files) });
}

/** A reader over in-memory files keyed by repository path (for editors and tests). */
export function createMemoryReader(files: Readonly<Record<string, string>>): CiFileReader {
  return (repoPath) => (Object.hasOwn(files, repoPath) ? files[repoPath] : undefined);
}

/** `file:line:col: message`, the format compilers and editors understand. */
export function formatProblem(problem: CiProblem): string {
  return `${problem.file}:${problem.line}:${problem.col}: ${problem.message}`;
}
