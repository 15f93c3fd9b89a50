#!/usr/bin/env node
// The `buildsim` command: a small dispatcher to one file per subcommand. Runtime errors end here as one
// line naming the cause and the fix (exit 1); the stack trace only with --debug (or BUILDSIM_DEBUG=1).

import { CLI_VERSION } from "./cli-version.js";
import { describeError } from "./describe-error.js";
import { runLintCommand } from "./lint-command.js";
import { runRecordCommand } from "./record/record-command.js";
import { runRunCommand } from "./run/run-command.js";
import { runRunnerCommand } from "./runner-command.js";
import { runServe } from "./serve-command.js";

const USAGE = `Usage: buildsim <command> [options]

Commands:
  run               run a .gitlab-ci.yml pipeline locally and watch it live (buildsim run --help)
  serve             start the GitLab-compatible API server (buildsim serve --help)
  runner            run builds for a buildsim (or GitLab-compatible) server (buildsim runner --help)
  runner register   register a runner and print its token (buildsim runner register --help)
  lint              check a .gitlab-ci.yml like GitLab's CI Lint (buildsim lint --help)
  record            proxy to a GitLab and write what it saw as a seed file (buildsim record --help)
  version           print buildsim's version

Options:
  -h, --help        this text (after a command: that command's help)
  -v, --version     print buildsim's version
  --debug           show the stack trace of an unexpected error`;

type Command = (argv: string[]) => Promise<unknown>;

const COMMANDS: Record<string, Command> = {
  // A finished run exits even if a stray handle (a job's orphaned child, a socket) is still open.
  run: async (argv) =>
    process.exit(
      await runRunCommand(argv, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() }),
    ),
  serve: runServe,
  runner: runRunnerCommand,
  lint: (argv) => runLintCommand(argv),
  // Exits once the file is written, even if a keep-alive socket to the target is still open.
  record: async (argv) => process.exit(await runRecordCommand(argv)),
  version: async (argv) => {
    if (argv.length > 0) {
      console.error(`buildsim version: unexpected argument "${argv[0]}"\nsee 'buildsim --help'`);
      return 2;
    }
    console.log(`buildsim ${CLI_VERSION}`);
    return 0;
  },
};

async function main(argv: string[]): Promise<void> {
  const debug = argv.includes("--debug") || process.env.BUILDSIM_DEBUG === "1";
  const args = argv.filter((arg) => arg !== "--debug");
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(USAGE);
    return;
  }
  if (name === "--version" || name === "-v") {
    console.log(`buildsim ${CLI_VERSION}`);
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(
      `buildsim: unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(", ")}\nsee 'buildsim --help'`,
    );
    process.exitCode = 2;
    return;
  }
  try {
    const result = await command(rest);
    if (typeof result === "number") process.exitCode = result;
  } catch (error) {
    const label = name === "runner" && rest[0] === "register" ? "runner register" : name;
    console.error(`buildsim ${label}: ${describeError(error)}`);
    if (debug) console.error(error instanceof Error ? error.stack : error);
    // Whatever the failed command left open (a server, a socket) must not keep the process alive.
    process.exit(1);
  }
}

void main(process.argv.slice(2));
