// `buildsim runner …`: `register` registers a runner; anything else runs one (@buildsim/runner's CLI).

import { runRunnerCli } from "@buildsim/runner";
import { runRunnerRegisterCommand } from "./runner-register-command.js";

/** Runs `buildsim runner` with `argv` (the arguments after `runner`) and resolves with the exit code. */
export function runRunnerCommand(argv: string[]): Promise<number> {
  if (argv[0] === "register") return runRunnerRegisterCommand(argv.slice(1));
  return runRunnerCli(argv);
}
