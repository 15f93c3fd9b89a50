// Runs a python-gitlab scenario (python/gitlab_scenarios.py) as a child process of Debian's python and
// returns its parsed JSON output. A missing python-gitlab is an error, never a skip.

import { spawn as nodeSpawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

/** The scenario script shipped with this package. */
export const SCENARIO_SCRIPT = path.resolve(here, "../python/gitlab_scenarios.py");

/** Debian's python, where `python3-gitlab` installs (pyenv's `python3` cannot see it). */
export const DEBIAN_PYTHON = "/usr/bin/python3";

/** How to reach the server and authenticate. */
export interface PythonTarget {
  url: string;
  token: string;
  /** @default "private" */
  auth?: "private" | "oauth" | "job";
}

/** What a scenario printed. */
export interface PythonResult<T> {
  gitlab_version: string;
  result: T;
}

/** Thrown when the scenario did not exit 0 with JSON; carries its stderr. */
export class PythonScenarioError extends Error {
  readonly code = "PYTHON_SCENARIO_FAILED";
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`${message} (exit ${exitCode}):\n${stderr}`);
    this.name = "PythonScenarioError";
  }
}

/** Runs `scenario` with `args` against `target`. `spawn` is injectable for tests of this runner. */
export function runPythonGitlab<T>(
  target: PythonTarget,
  scenario: string,
  args: Record<string, unknown> = {},
  spawn: typeof nodeSpawn = nodeSpawn,
): Promise<PythonResult<T>> {
  return new Promise((resolve, reject) => {
    const child = spawn(DEBIAN_PYTHON, [SCENARIO_SCRIPT, scenario, JSON.stringify(args)], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        GITLAB_URL: target.url,
        GITLAB_TOKEN: target.token,
        GITLAB_AUTH: target.auth ?? "private",
        PYTHONDONTWRITEBYTECODE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (c: Buffer) => out.push(c));
    child.stderr?.on("data", (c: Buffer) => err.push(c));
    child.on("error", (e) =>
      reject(new PythonScenarioError(`could not start ${DEBIAN_PYTHON}: ${e.message}`, null, "")),
    );
    child.on("close", (code) => {
      const stderr = Buffer.concat(err).toString("utf8");
      if (code !== 0) return reject(new PythonScenarioError(`scenario ${scenario} failed`, code, stderr));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString("utf8")) as PythonResult<T>);
      } catch {
        reject(new PythonScenarioError(`scenario ${scenario} printed no JSON`, code, stderr));
      }
    });
  });
}
