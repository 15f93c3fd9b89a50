// `buildsim runner register`: registers a runner with a buildsim (or GitLab) server and prints its token.

import { parseArgs } from "node:util";
import { ClientError, registerRunner } from "@buildsim/client";

export const RUNNER_REGISTER_USAGE = `Usage: buildsim runner register --url URL --registration-token TOKEN
                                [--description D] [--tags a,b] [--run-untagged true|false] [--locked]

Registers a runner (POST /api/v4/runners) and prints the runner token \`buildsim runner --token\` takes.
The registration token is the one \`buildsim serve\` prints (a shared runner) or a project's runners
token (a runner for that project only).`;

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
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    io.stderr(`buildsim runner register: ${(error as Error).message}\n\n${RUNNER_REGISTER_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(RUNNER_REGISTER_USAGE);
    return 0;
  }
  const untagged = values["run-untagged"];
  if (
    !values.url ||
    !values["registration-token"] ||
    (untagged !== undefined && untagged !== "true" && untagged !== "false")
  ) {
    io.stderr(
      `buildsim runner register: --url and --registration-token are required\n\n${RUNNER_REGISTER_USAGE}`,
    );
    return 2;
  }
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
    const text =
      error instanceof ClientError ? `${error.status ?? "network"}: ${error.message}` : String(error);
    io.stderr(`buildsim runner register: ${text}`);
    return 1;
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      url: { type: "string" },
      "registration-token": { type: "string" },
      description: { type: "string" },
      tags: { type: "string" },
      "run-untagged": { type: "string" },
      locked: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}
