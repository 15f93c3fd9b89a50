// `buildsim runner …`: hands the arguments after `runner` to @buildsim/runner's CLI.

import { runRunnerCli } from "@buildsim/runner";

/** Runs `buildsim runner` with `argv` (the arguments after `runner`) and resolves with the exit code. */
export function runRunnerCommand(argv: string[]): Promise<number> {
  return runRunnerCli(argv);
}
