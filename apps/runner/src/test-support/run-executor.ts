// Runs an executor on one job outside the runner loop, collecting the trace bytes it writes.

import type { JobPayload } from "@buildsim/core";
import type { AbortReason, ExecutionResult, Executor } from "../executor.js";

export interface ExecutorRun {
  result: Promise<ExecutionResult>;
  /** Everything written so far, as written. */
  trace(): Buffer;
  /** Resolves once the trace contains `text`. */
  traceContains(text: string): Promise<void>;
  abort(reason: AbortReason): void;
}

/** Starts `executor` on `job` with a cancel signal the test controls. */
export function runExecutor(executor: Executor, job: JobPayload): ExecutorRun {
  const chunks: Buffer[] = [];
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  const abort = new AbortController();
  const current = () => Buffer.concat(chunks);
  const result = executor.run({
    job,
    signal: abort.signal,
    trace(data) {
      chunks.push(typeof data === "string" ? Buffer.from(data) : Buffer.from(data));
      const text = current().toString();
      for (const waiter of [...waiters]) {
        if (!text.includes(waiter.text)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
  });
  return {
    result,
    trace: current,
    traceContains: (text) =>
      new Promise((resolve) => {
        if (current().toString().includes(text)) resolve();
        else waiters.push({ text, resolve });
      }),
    abort: (reason) => abort.abort(reason),
  };
}
