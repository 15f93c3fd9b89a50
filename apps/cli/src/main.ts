#!/usr/bin/env node
// The `buildsim` command: a small dispatcher to one file per subcommand.

import { runServe } from "./serve-command.js";

const USAGE = `Usage: buildsim <command> [options]

Commands:
  serve    start the GitLab-compatible API server (buildsim serve --help)`;

type Command = (argv: string[]) => Promise<unknown>;

const COMMANDS: Record<string, Command> = {
  serve: runServe,
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
