// The scripts a job container runs: GitLab Runner's shell detection, then the step's commands in a script
// that works in bash and in a POSIX sh (busybox, dash) alike.

import { bashQuote } from "../run-shell-step.js";
import { commandEchoLine } from "../trace-lines.js";

/**
 * Runner's detection (`sh -c` with this text): the first bash found, else the first sh; the script path is
 * the argument after the text. An image with neither fails with Runner's words.
 */
export const DETECT_SHELL_SCRIPT = [
  "for shell in /usr/local/bin/bash /usr/bin/bash /bin/bash /usr/local/bin/sh /usr/bin/sh /bin/sh /busybox/sh; do",
  '  if [ -x "$shell" ]; then exec "$shell" "$@"; fi',
  "done",
  'echo "shell not found"',
  "exit 1",
].join("\n");

/**
 * The step as one script: stderr joined to stdout (the trace keeps the job's order), errexit, pipefail where
 * the shell has it (dash does not), `exports` (after_script's `CI_JOB_STATUS`: the container's environment
 * was fixed when it was created), and a `$ command` echo before each command.
 */
export function containerStepScript(
  commands: readonly string[],
  exports: Readonly<Record<string, string>> = {},
): string {
  const lines = [
    "exec 2>&1",
    "set -e",
    "if (set -o pipefail) 2>/dev/null; then set -o pipefail; fi",
    "set +o noclobber",
    ...Object.entries(exports).map(([key, value]) => `export ${key}=${bashQuote(value)}`),
    "",
  ];
  for (const command of commands)
    lines.push(`printf '%s' ${bashQuote(commandEchoLine(command))}`, command, "");
  return `${lines.join("\n")}\n`;
}
