// The stages every executor goes through for one job: header, prepare, script, after_script, artifacts, footer.

import type { JobStep } from "@buildsim/core";
import { type Clock, systemClock } from "@buildsim/core";
import type { AbortReason, ExecutionResult, ExecutorContext } from "./executor.js";
import { expandImages } from "./job-variables.js";
import {
  footerLine,
  goDuration,
  headerLines,
  ignoredContainersLine,
  STEP_SCRIPT_TITLE,
  sectionLine,
} from "./trace-lines.js";

/** How one step's process ended: its exit code, or null when it was killed. */
export interface StepExit {
  exitCode: number | null;
}

/** A result with the text for the footer's `ERROR: Job failed: …` line. */
export interface JobStageFailure extends ExecutionResult {
  summary: string;
}

/** What an executor plugs into {@link runJobScript}. */
export interface JobScriptHooks {
  executor: "shell" | "simulate" | "docker";
  /** Before the first step (sources, dependencies); a failure ends the job there. */
  prepare?(signal: AbortSignal): Promise<JobStageFailure | null>;
  /**
   * Runs one step's commands (echoing `$ command` lines) until done, or until `signal` aborts. For
   * after_script, `jobStatus` is the job's state so far (GitLab's `CI_JOB_STATUS`).
   */
  runStep(
    step: JobStep,
    signal: AbortSignal,
    jobStatus?: "success" | "failed" | "canceled",
  ): Promise<StepExit>;
  /** After the steps, with the job's state so far (artifacts); a failure turns a success into it. */
  finalize?(state: "success" | "failed", signal: AbortSignal): Promise<JobStageFailure | null>;
  /** After `finalize`: the variables the job's `artifacts:reports:dotenv` files set. */
  dotenv?(state: "success" | "failed"): Promise<Array<{ key: string; value: string }>>;
  /** Always last, whatever happened (remove the working directory). */
  cleanup?(): Promise<void>;
}

export interface JobScriptOptions {
  runnerName: string;
  runnerVersion: string;
  /** @default systemClock */
  clock?: Clock;
}

const JOB_TIMEOUT = "jobTimeout";

/** Runs a job through its stages and resolves with the outcome; only a broken executor rejects. */
export async function runJobScript(
  context: ExecutorContext,
  hooks: JobScriptHooks,
  options: JobScriptOptions,
): Promise<ExecutionResult> {
  const { job, trace } = context;
  const clock = options.clock ?? systemClock;
  trace(headerLines(options.runnerName, options.runnerVersion, hooks.executor));
  // The runner expands variables in `image` and `services` before it would pull them.
  const images = expandImages(job);
  const ignored = ignoredContainersLine(images.image, images.services, hooks.executor);
  if (ignored) trace(ignored);
  const jobAbort = new AbortController();
  const forward = () => jobAbort.abort(context.signal.reason);
  if (context.signal.aborted) forward();
  context.signal.addEventListener("abort", forward, { once: true });
  const timer = clock.setTimeout(() => jobAbort.abort(JOB_TIMEOUT), job.timeoutS * 1000);
  try {
    let end: JobStageFailure | null = (await hooks.prepare?.(jobAbort.signal)) ?? null;
    if (!end && !jobAbort.signal.aborted) {
      for (const step of job.steps) {
        if (step.name !== "script" || !shouldRun(step.when, end ? "failed" : "success")) continue;
        trace(sectionLine(STEP_SCRIPT_TITLE));
        const exit = await hooks.runStep(step, jobAbort.signal);
        if (jobAbort.signal.aborted) break;
        if (exit.exitCode !== 0) end = scriptFailure(exit.exitCode);
      }
    }
    if (jobAbort.signal.aborted) end = abortedEnd(jobAbort.signal.reason, job.timeoutS * 1000);
    clock.clearTimeout(timer);
    let dotenvVariables: Array<{ key: string; value: string }> = [];
    const state = end ? "failed" : "success";
    // A job the runner is abandoning stops now, a canceled one runs only its after_script (below); a
    // timed-out one still cleans up,
    // whether the runner's timer or the server's (which often fires first: it counts from the claim)
    // stopped it. After the server's, the context signal is spent: later work gets a signal of its own.
    const serverTimedOut = context.signal.aborted && context.signal.reason === "timeout";
    const after = serverTimedOut ? new AbortController().signal : context.signal;
    if (!after.aborted) {
      for (const step of job.steps) {
        if (step.name !== "after_script" || !shouldRun(step.when, state)) continue;
        trace(sectionLine("Running after_script"));
        await runAfterScript(step, hooks, after, clock, trace, state);
      }
      // Canceled during after_script: nothing is uploaded.
      const late = after.aborted ? null : await hooks.finalize?.(state, after);
      if (late && !end) end = late;
      if (!after.aborted) dotenvVariables = (await hooks.dotenv?.(end ? "failed" : "success")) ?? [];
    } else if (context.signal.reason === "canceled") {
      // GitLab 17.0+ runs a canceled job's after_script (CI_JOB_STATUS=canceled) once the script is killed,
      // bounded by its own timeout; nothing is uploaded afterwards.
      // https://docs.gitlab.com/ci/yaml/script/#skip-after_script-commands-if-a-job-is-canceled
      for (const step of job.steps) {
        if (step.name !== "after_script") continue;
        trace(sectionLine("Running after_script"));
        await runAfterScript(step, hooks, new AbortController().signal, clock, trace, "canceled");
      }
    }
    if (context.signal.aborted && !end) end = abortedEnd(context.signal.reason, job.timeoutS * 1000);
    const result: ExecutionResult = end
      ? {
          state: "failed",
          exitCode: end.exitCode,
          ...(end.failureReason ? { failureReason: end.failureReason } : {}),
        }
      : { state: "success", exitCode: 0 };
    trace(footerLine(result, end?.summary ?? null));
    return dotenvVariables.length > 0 ? { ...result, dotenvVariables } : result;
  } finally {
    clock.clearTimeout(timer);
    context.signal.removeEventListener("abort", forward);
    await hooks.cleanup?.();
  }
}

/** GitLab's `when:` of a step against the job's state so far. */
function shouldRun(when: JobStep["when"], state: "success" | "failed"): boolean {
  return when === "always" || (when === "on_success" ? state === "success" : state === "failed");
}

function scriptFailure(exitCode: number | null): JobStageFailure {
  return { state: "failed", exitCode, failureReason: "script_failure", summary: `exit code ${exitCode}` };
}

function abortedEnd(reason: unknown, timeoutMs: number): JobStageFailure {
  const why = reason as AbortReason | typeof JOB_TIMEOUT;
  if (why === JOB_TIMEOUT || why === "timeout") {
    return {
      state: "failed",
      exitCode: null,
      failureReason: "stuck_or_timeout_failure",
      summary: `execution took longer than ${goDuration(timeoutMs)} seconds`,
    };
  }
  if (why === "shutdown") {
    return {
      state: "failed",
      exitCode: null,
      failureReason: "runner_system_failure",
      summary: "the runner is shutting down",
    };
  }
  return { state: "failed", exitCode: null, summary: "canceled" };
}

/** after_script: its own timeout, killed on cancel, and its exit code never changes the job's outcome. */
async function runAfterScript(
  step: JobStep,
  hooks: JobScriptHooks,
  cancel: AbortSignal,
  clock: Clock,
  trace: (data: string) => void,
  state: "success" | "failed" | "canceled",
): Promise<void> {
  const abort = new AbortController();
  const forward = () => abort.abort(cancel.reason);
  // A cancel that came before this step (during the one before it) has fired already.
  if (cancel.aborted) forward();
  else cancel.addEventListener("abort", forward, { once: true });
  const timer = clock.setTimeout(() => abort.abort(JOB_TIMEOUT), step.timeoutS * 1000);
  try {
    const exit = await hooks.runStep(step, abort.signal, state);
    if (abort.signal.reason === JOB_TIMEOUT)
      trace(`WARNING: after_script timed out after ${goDuration(step.timeoutS * 1000)}\n`);
    else if (exit.exitCode !== 0 && !abort.signal.aborted)
      trace(`WARNING: after_script failed with exit code ${exit.exitCode}\n`);
  } finally {
    clock.clearTimeout(timer);
    cancel.removeEventListener("abort", forward);
  }
}
