// The trace watcher's fallback for servers without the WebSocket (real GitLab): poll the v4 trace and job.

import { type BuildStatus, isBuildStatus, isCompletedStatus } from "@buildsim/core";
import type { ProjectRef } from "./api-options.js";
import type { SleepFn } from "./backoff.js";
import type { JobsV4Api } from "./jobs-v4-api.js";
import type { TraceEvent } from "./watch-trace.js";

export interface PollTraceOptions {
  signal?: AbortSignal | undefined;
  /** @default 1000 */
  pollIntervalMs?: number | undefined;
  sleep: SleepFn;
}

export const DEFAULT_POLL_INTERVAL_MS = 1000;

/**
 * Polls `GET /jobs/:id` then `GET /jobs/:id/trace` until the job is complete, yielding only bytes past
 * `fromOffset`. The status is read before the trace, so the trace read after a complete status is final.
 */
export async function* pollTrace(
  jobs: JobsV4Api,
  project: ProjectRef,
  jobId: number,
  fromOffset: number,
  options: PollTraceOptions,
): AsyncGenerator<TraceEvent, void, undefined> {
  let offset = fromOffset;
  let lastStatus: string | null = null;
  for (;;) {
    const job = await jobs.get(project, jobId, { signal: options.signal });
    const status = (isBuildStatus(job.status) ? job.status : "running") as BuildStatus;
    if (job.status !== lastStatus) {
      lastStatus = job.status;
      if (isBuildStatus(job.status)) yield { type: "status", status };
    }
    const trace = await jobs.traceBytes(project, jobId, { signal: options.signal });
    if (trace.length > offset) {
      const bytes = trace.subarray(offset);
      yield { type: "chunk", offset, bytes };
      offset = trace.length;
    }
    if (isBuildStatus(job.status) && isCompletedStatus(job.status)) {
      yield { type: "end", status, length: trace.length };
      return;
    }
    await options.sleep(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, options.signal);
  }
}
