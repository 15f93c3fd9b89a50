// Runs a job's script as the simulate language — echo, sleep, exit, lines, fail — deterministically, no shell.

import type { JobStep } from "@buildsim/core";
import { type Clock, sleep, systemClock } from "@buildsim/core";
import type { Executor, ExecutorContext } from "./executor.js";
import { parseSimulateCommand } from "./parse-simulate-command.js";
import { runJobScript, type StepExit } from "./run-job-script.js";
import { commandEchoLine } from "./trace-lines.js";

export interface SimulateExecutorOptions {
  runnerName: string;
  runnerVersion: string;
  /** Drives `sleep`, `lines` pacing and the job timeout. @default systemClock */
  clock?: Clock;
}

/**
 * The simulate executor: every script line is one command of a tiny language (see
 * `docs/simulate-executor.md`). Output depends only on the script and the clock, so tests and demos get
 * exact, repeatable traces; artifacts and dependencies are not handled (there is no file system).
 */
export function createSimulateExecutor(options: SimulateExecutorOptions): Executor {
  const clock = options.clock ?? systemClock;
  return {
    name: "simulate",
    run: (context) =>
      runJobScript(
        context,
        { executor: "simulate", runStep: (step, signal) => runSimulatedStep(step, signal, context, clock) },
        { ...options, clock },
      ),
  };
}

async function runSimulatedStep(
  step: JobStep,
  signal: AbortSignal,
  { trace }: ExecutorContext,
  clock: Clock,
): Promise<StepExit> {
  for (const line of step.script) {
    if (signal.aborted) return { exitCode: null };
    trace(commandEchoLine(line));
    const command = parseSimulateCommand(line);
    switch (command.kind) {
      case "nothing":
        break;
      case "echo":
        trace(`${command.text}\n`);
        break;
      case "sleep":
        await sleep(clock, command.durationMs, signal);
        break;
      case "exit":
        return { exitCode: command.exitCode };
      case "fail":
        trace(`${command.text}\n`);
        return { exitCode: 1 };
      case "lines":
        for (let i = 1; i <= command.count && !signal.aborted; i++) {
          trace(`${command.text} ${i}\n`);
          if (command.ratePerS > 0 && i < command.count) await sleep(clock, 1000 / command.ratePerS, signal);
        }
        break;
      case "error":
        trace(`ERROR: ${command.message}\n`);
        return { exitCode: command.exitCode };
    }
  }
  return { exitCode: signal.aborted ? null : 0 };
}
