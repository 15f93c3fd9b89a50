#!/usr/bin/env node
// The `buildsim` command: a small dispatcher to one file per subcommand.

import { runLintCommand } from "./lint-command.js";
import { runRunCommand } from "./run/run-command.js";
import { runRunnerCommand } from "./runner-command.js";
import { runServe } from "./serve-command.js";

const USAGE = `Usage: buildsim <command> [options]

Commands:
  run      run a .gitlab-ci.yml pipeline locally and watch it live (buildsim run --help)
  serve    start the GitLab-compatible API server (buildsim serve --help)
  runner   run builds for a buildsim (or compatible) server (buildsim runner --help)
  lint     check a .gitlab-ci.yml (buildsim lint --help)`;

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
};

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(USAGE);
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`buildsim: unknown command "${name}"\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const result = await command(rest);
  if (typeof result === "number") process.exitCode = result;
}

void main(process.argv.slice(2));
