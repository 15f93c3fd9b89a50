// `buildsim runner register`: registers a runner with a buildsim (or GitLab) server and prints its token.

import { ClientError, registerRunner } from "@buildsim/client";
import { parseCommandLine } from "@buildsim/runner";
import { describeError } from "./describe-error.js";

export const RUNNER_REGISTER_USAGE = `Usage: buildsim runner register --url URL --registration-token TOKEN
                                [--description D] [--tags a,b] [--run-untagged true|false] [--locked]

Registers a runner (POST /api/v4/runners) and prints the runner token \`buildsim runner --token\` takes.

Options:
  --url URL                   the server's base URL (http://host:port, no /api/v4)
  --registration-token TOKEN  the one \`buildsim serve\` prints (a shared runner) or a project's
                              runners token (a runner for that project only)
  --description D             the runner's description
  --tags a,b                  the runner's tags; it then gets only builds whose tags it has
  --run-untagged true|false   whether it also takes untagged builds (default: true without tags)
  --locked                    lock a project runner to its project
  -h, --help                  this text`;

export interface RunnerRegisterIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  fetch?: typeof fetch;
}

const defaultIo: RunnerRegisterIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

/** Runs `buildsim runner register` with the arguments after `register`; resolves with the exit code. */
export async function runRunnerRegisterCommand(
  argv: readonly string[],
  io: RunnerRegisterIo = defaultIo,
): Promise<number> {
  const parsed = parseCommandLine(argv, REGISTER_FLAGS);
  const usageError = (message: string) => {
    io.stderr(`buildsim runner register: ${message}`);
    io.stderr("see 'buildsim runner register --help'");
    return 2;
  };
  if (!parsed.ok) return usageError(parsed.error);
  const values = parsed.values;
  if (values.help) {
    io.stdout(RUNNER_REGISTER_USAGE);
    return 0;
  }
  const untagged = values["run-untagged"];
  if (!values.url) return usageError("--url is required");
  if (!values["registration-token"]) return usageError("--registration-token is required");
  if (untagged !== undefined && untagged !== "true" && untagged !== "false")
    return usageError(`--run-untagged must be true or false, got "${untagged}"`);
  try {
    const runner = await registerRunner({
      baseUrl: values.url,
      registrationToken: values["registration-token"],
      ...(values.description === undefined ? {} : { description: values.description }),
      ...(values.tags === undefined
        ? {}
        : {
            tagList: values.tags
              .split(",")
              .map((t) => t.trim())
              .filter(Boolean),
          }),
      ...(untagged === undefined ? {} : { runUntagged: untagged === "true" }),
      ...(values.locked ? { locked: true } : {}),
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
    io.stdout(`Runner registered: id ${runner.id}`);
    io.stdout(`token: ${runner.token}`);
    io.stdout(`Run it with: buildsim runner --url ${values.url} --token ${runner.token}`);
    return 0;
  } catch (error) {
    io.stderr(`buildsim runner register: ${describeRegisterError(error, values.url)}`);
    return 1;
  }
}

/** One line for a failed registration: GitLab answers a wrong token with a bare 403 Forbidden. */
function describeRegisterError(error: unknown, url: string): string {
  if (error instanceof ClientError && error.status === 403)
    return `${url} refused the registration token (403 Forbidden): use the token \`buildsim serve\` printed, or the project's runners token`;
  if (error instanceof ClientError && error.status !== null)
    return `${url} answered ${error.status}: ${error.message}`;
  return describeError(error);
}

/** `runner register`'s flags, for node:util parseArgs (through parseCommandLine). */
const REGISTER_FLAGS = {
  url: { type: "string" },
  "registration-token": { type: "string" },
  description: { type: "string" },
  tags: { type: "string" },
  "run-untagged": { type: "string" },
  locked: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;
