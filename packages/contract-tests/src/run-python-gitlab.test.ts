// The python-gitlab runner: what it passes to the child process, and that a child without python-gitlab
// (exit 3) or without JSON output is a failure, never a silent skip.

import type { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { DEBIAN_PYTHON, PythonScenarioError, runPythonGitlab, SCENARIO_SCRIPT } from "./run-python-gitlab.js";

/** A spawn that records its call and plays back `stdout`, `stderr` and an exit code. */
function fakeSpawn(stdout: string, stderr: string, exitCode: number) {
  const calls: Array<{ command: string; args: readonly string[]; env: NodeJS.ProcessEnv | undefined }> = [];
  const fake = ((command: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv }) => {
    calls.push({ command, args, env: options.env });
    const child = Object.assign(new EventEmitter(), { stdout: new PassThrough(), stderr: new PassThrough() });
    queueMicrotask(() => {
      child.stdout.end(stdout);
      child.stderr.end(stderr);
      child.emit("close", exitCode);
    });
    return child;
  }) as unknown as typeof spawn;
  return { fake, calls };
}

const target = { url: "http://127.0.0.1:1", token: "t" };

describe("runPythonGitlab", () => {
  it("runs the scenario script with Debian's python and passes URL, token and auth through the environment", async () => {
    const { fake, calls } = fakeSpawn('{"gitlab_version":"3.12.0","result":{"ok":true}}', "", 0);
    const out = await runPythonGitlab(target, "list_jobs", { kwargs: { per_page: 1 } }, fake);
    expect(out).toEqual({ gitlab_version: "3.12.0", result: { ok: true } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.command).toBe(DEBIAN_PYTHON);
    expect(calls[0]!.args).toEqual([SCENARIO_SCRIPT, "list_jobs", '{"kwargs":{"per_page":1}}']);
    expect(calls[0]!.env).toMatchObject({
      GITLAB_URL: target.url,
      GITLAB_TOKEN: "t",
      GITLAB_AUTH: "private",
    });
  });

  it("fails with python's stderr when python-gitlab cannot be imported", async () => {
    const { fake } = fakeSpawn("", "python-gitlab is not importable from /usr/bin/python3", 3);
    const e = await runPythonGitlab(target, "list_jobs", {}, fake).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(PythonScenarioError);
    expect((e as PythonScenarioError).exitCode).toBe(3);
    expect((e as Error).message).toContain("python-gitlab is not importable");
  });

  it("fails when the scenario exits 0 without printing JSON", async () => {
    const { fake } = fakeSpawn("not json", "", 0);
    await expect(runPythonGitlab(target, "list_jobs", {}, fake)).rejects.toThrow("printed no JSON");
  });
});
