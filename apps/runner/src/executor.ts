// The one interface every executor implements: run a job's steps, stream its output, report the outcome.

import type { BuildOutcome } from "@buildsim/client";
import type { CancelReason, JobPayload } from "@buildsim/core";

/** Why a job was stopped from outside: the server canceled it (or timed it out), or the runner is stopping. */
export type AbortReason = CancelReason | "shutdown";

/** What an executor gets for one build. */
export interface ExecutorContext {
  job: JobPayload;
  /** Appends bytes (or UTF-8 text) to the build's trace, exactly as the job printed them. */
  trace(data: Uint8Array | string): void;
  /** Aborted with an {@link AbortReason} as `signal.reason` when the build must stop now. */
  signal: AbortSignal;
}

/** How a build ended, as the runner reports it in `finish`. */
export type ExecutionResult = BuildOutcome;

/**
 * Runs builds. `run` resolves with the outcome of the job (a failing script is an outcome, not an error);
 * it rejects only when the executor itself broke, which the runner reports as `runner_system_failure`.
 */
export interface Executor {
  readonly name: "shell" | "simulate" | "docker" | "auto";
  run(context: ExecutorContext): Promise<ExecutionResult>;
}
