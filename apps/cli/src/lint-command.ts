// `buildsim lint [--file F]`: checks a `.gitlab-ci.yml` and its include:local files like GitLab's CI Lint.

import path from "node:path";
import { createDirectoryReader, formatProblem, lintCiConfig } from "@buildsim/ci-config";
import { parseCommandLine } from "@buildsim/runner";

/** Where the command reads and writes; tests pass their own. */
export interface LintCommandIo {
  /** Directory the command runs in: the repository root that `include:local` paths start from. */
  cwd: string;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

const USAGE = `Usage: buildsim lint [-f FILE]

Checks a .gitlab-ci.yml and its include:local files as GitLab's CI Lint does, and prints every problem
as file:line:col. Exit code 0 when valid, 1 when not.

Options:
  -f, --file FILE   the CI file (default .gitlab-ci.yml in the current directory)
  -h, --help        this text`;

/** `lint`'s flags, for node:util parseArgs (through parseCommandLine). */
const LINT_FLAGS = {
  file: { type: "string", short: "f" },
  help: { type: "boolean", short: "h" },
} as const;

function parseArgs(argv: readonly string[]): { file: string } | { error: string } | { help: true } {
  const parsed = parseCommandLine(argv, LINT_FLAGS);
  if (!parsed.ok) return { error: parsed.error };
  if (parsed.values.help) return { help: true };
  return { file: parsed.values.file ?? ".gitlab-ci.yml" };
}

/**
 * Runs `buildsim lint` with the arguments after `lint`. Prints every problem as `file:line:col: message`
 * and returns the exit code: 0 when the config is valid, 1 when it has problems, 2 for bad arguments.
 */
export async function runLintCommand(
  argv: readonly string[],
  io: LintCommandIo = {
    cwd: process.cwd(),
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  },
): Promise<number> {
  const args = parseArgs(argv);
  if ("help" in args) {
    io.stdout(USAGE);
    return 0;
  }
  if ("error" in args) {
    io.stderr(`buildsim lint: ${args.error}`);
    io.stderr("see 'buildsim lint --help'");
    return 2;
  }
  const absolute = path.resolve(io.cwd, args.file);
  const relative = path.relative(io.cwd, absolute);
  // A file inside the working directory keeps it as the repository root; one outside uses its own folder.
  const inside = relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
  const root = inside ? io.cwd : path.dirname(absolute);
  const entryFile = (inside ? relative : path.basename(absolute)).split(path.sep).join("/");
  const result = lintCiConfig({ entryFile, readFile: createDirectoryReader(root) });
  for (const problem of result.problems) io.stdout(formatProblem(problem));
  for (const warning of result.warnings) io.stdout(`${formatProblem(warning)} (warning)`);
  if (!result.valid) {
    const count = result.problems.length;
    io.stderr(`${entryFile}: ${count} ${count === 1 ? "problem" : "problems"} found`);
    return 1;
  }
  io.stdout(`${entryFile}: Syntax is correct.`);
  return 0;
}
