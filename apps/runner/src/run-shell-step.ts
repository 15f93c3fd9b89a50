// Runs one step's commands in one bash process, in its own process group, streaming its output as bytes.

import { type ChildProcess, spawn as nodeSpawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { JobStep } from "@buildsim/core";
import type { ProcessGroupRegistry } from "./job-reaper.js";
import { killProcessGroup, signalProcessGroup } from "./kill-process-group.js";
import type { StepExit } from "./run-job-script.js";
import { commandEchoLine } from "./trace-lines.js";

/** `child_process.spawn`'s shape, injectable. */
export type SpawnFunction = typeof nodeSpawn;

export interface ShellStepOptions {
  step: JobStep;
  /** Working directory of the commands. */
  cwd: string;
  /** Where the generated script file goes (outside the project directory). */
  scriptDir: string;
  env: NodeJS.ProcessEnv;
  trace: (data: Uint8Array | string) => void;
  signal: AbortSignal;
  /** Time between SIGTERM and SIGKILL to the group when the step is aborted. */
  killGraceMs: number;
  spawn?: SpawnFunction;
  /** Told the step's process group while it runs, so it dies with the runner (see job-reaper.ts). */
  processGroups?: ProcessGroupRegistry;
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

/** Single-quotes `text` for bash. */
export function bashQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The script GitLab Runner's shell executor would generate: stderr joined to stdout (so the trace keeps
 * the order the job printed in), `set -eo pipefail`, and a `$ command` echo before each command.
 */
export function stepScript(commands: string[]): string {
  const lines = ["exec 2>&1", "set -eo pipefail", "set +o noclobber", ""];
  for (const command of commands) {
    lines.push(`printf '%s' ${bashQuote(commandEchoLine(command))}`, command, "");
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Runs the step with bash as the leader of a new process group (`detached`), so that an abort kills the
 * whole group — subshells and their children too — and leftovers are killed when bash exits.
 */
export async function runShellStep(options: ShellStepOptions): Promise<StepExit> {
  const scriptPath = path.join(options.scriptDir, `${options.step.name}.sh`);
  await writeFile(scriptPath, stepScript(options.step.script), { mode: 0o700 });
  if (options.signal.aborted) return { exitCode: null };
  const spawn = options.spawn ?? nodeSpawn;
  const child: ChildProcess = spawn("bash", ["--noprofile", "--norc", scriptPath], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const closed = once(child, "close").catch(() => []);
  const pgid = child.pid;
  if (pgid !== undefined) options.processGroups?.add(pgid);
  child.stdout?.on("data", (chunk: Buffer) => options.trace(chunk));
  child.stderr?.on("data", (chunk: Buffer) => options.trace(chunk));
  let killing: Promise<void> | null = null;
  const onAbort = () => {
    killing = killProcessGroup(child, options.killGraceMs);
  };
  options.signal.addEventListener("abort", onAbort, { once: true });
  try {
    const [code, signal] = (await Promise.race([
      once(child, "exit"),
      once(child, "error").then(([error]) => Promise.reject(error)),
    ])) as [number | null, NodeJS.Signals | null];
    // Background processes the script left behind would hold the output pipe open: end them too.
    if (child.pid !== undefined) signalProcessGroup(child.pid, "SIGKILL");
    await killing;
    await closed;
    if (options.signal.aborted) return { exitCode: null };
    return { exitCode: code ?? 128 + (signalNumbers[signal ?? ""] ?? 0) };
  } finally {
    if (pgid !== undefined) options.processGroups?.delete(pgid);
    options.signal.removeEventListener("abort", onAbort);
  }
}
