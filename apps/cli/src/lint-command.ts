// `buildsim lint [--file F]`: checks a `.gitlab-ci.yml` and everything it includes like GitLab's CI Lint.

import path from "node:path";
import {
  type CiProblem,
  createDirectoryReader,
  formatProblem,
  type GitLabApi,
  listRepositoryFiles,
  loadCiConfigAsync,
  pipelineVariables,
} from "@buildsim/ci-config";
import { parseCommandLine } from "@buildsim/runner";
import { startServer } from "@buildsim/server";
import {
  createIncludeSources,
  INCLUDE_PARSE_OPTIONS,
  INCLUDE_USAGE,
  type IncludeFlags,
  readIncludeFlags,
} from "./include-flags.js";
import { readGitProject } from "./run/git-project.js";

/** Where the command reads and writes; tests pass their own. */
export interface LintCommandIo {
  /** Directory the command runs in: the repository root that `include:local` paths start from. */
  cwd: string;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

const USAGE = `Usage: buildsim lint [-f FILE] [--include-map F] [--project P=DIR…] [--gitlab-url URL [--gitlab-token T]]

Checks a .gitlab-ci.yml and everything it includes as GitLab's CI Lint does, and prints every problem
as file:line:col. Exit code 0 when valid, 1 when not, 2 for bad arguments.

Options:
  -f, --file FILE    the CI file (default .gitlab-ci.yml in the current directory)
  -h, --help         this text
${INCLUDE_USAGE}`;

/** `lint`'s flags, for node:util parseArgs (through parseCommandLine). */
const LINT_FLAGS = {
  file: { type: "string", short: "f" },
  help: { type: "boolean", short: "h" },
  ...INCLUDE_PARSE_OPTIONS,
} as const;

interface LintArgs {
  file: string;
  include: IncludeFlags;
}

function parseLintArgs(argv: readonly string[]): LintArgs | { error: string } | { help: true } {
  const parsed = parseCommandLine(argv, LINT_FLAGS);
  if (!parsed.ok) return { error: parsed.error };
  const v = parsed.values;
  if (v.help) return { help: true };
  const include = readIncludeFlags(v);
  if ("error" in include) return include;
  return { file: v.file ?? ".gitlab-ci.yml", include };
}

/** `--project` repositories served by an in-memory buildsim, so includes read them as GitLab would. */
async function serveProjects(
  flags: IncludeFlags,
  cwd: string,
): Promise<{ api: GitLabApi; close: () => Promise<void> } | null> {
  if (flags.projects.length === 0) return null;
  const server = await startServer({ db: ":memory:", port: 0, log: () => {} });
  for (const p of flags.projects) {
    server.local.registerProject({
      pathWithNamespace: p.path,
      name: p.path.split("/").pop()!,
      sourceDir: path.resolve(cwd, p.dir),
      defaultBranch: "main",
      ownerId: server.adminUserId,
    });
  }
  return { api: { url: server.url, token: server.token }, close: () => server.close() };
}

/**
 * The predefined variables GitLab's CI Lint expands include paths and `include:rules` with (the
 * project's, and the checked-out ref's): `component: $CI_SERVER_FQDN/group/project/name@1.0` needs
 * `CI_SERVER_FQDN`, the host of `--gitlab-url` when given.
 * https://docs.gitlab.com/ci/yaml/includes/#use-variables-with-include
 */
async function includeVariables(root: string, flags: IncludeFlags): Promise<Record<string, string>> {
  const git = await readGitProject(root);
  return pipelineVariables({
    ref: git.ref,
    tag: git.tag,
    source: "push",
    sha: git.commit.sha,
    commitMessage: git.commit.message,
    defaultBranch: git.defaultBranch,
    projectPath: git.pathWithNamespace,
    ...(flags.gitlabUrl ? { serverUrl: flags.gitlabUrl } : {}),
    exists: () => false,
    changes: () => true,
  });
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
  const args = parseLintArgs(argv);
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
  const served = await serveProjects(args.include, io.cwd);
  let result: { problems: CiProblem[]; warnings: CiProblem[]; valid: boolean };
  try {
    const sources = createIncludeSources({
      flags: args.include,
      cwd: io.cwd,
      projectDir: path.dirname(path.join(root, entryFile)),
      localApi: served?.api ?? null,
      cacheDir: null,
    });
    if ("error" in sources) {
      io.stderr(sources.error);
      return 2;
    }
    const loaded = await loadCiConfigAsync(
      {
        entryFile,
        readFile: createDirectoryReader(root),
        listFiles: () => listRepositoryFiles(root),
        variables: await includeVariables(root, args.include),
      },
      sources,
    );
    result = { problems: loaded.problems, warnings: loaded.warnings, valid: loaded.problems.length === 0 };
  } finally {
    await served?.close();
  }
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
