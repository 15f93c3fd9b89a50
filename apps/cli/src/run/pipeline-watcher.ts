// Follows one pipeline as any client of the server does: the project's events socket says something
// changed, one read per pipeline (buildsim's `pipelines/:id/jobs`) gives the board state, and each job's
// log arrives over the trace WebSocket, masked by the server. Trigger jobs' downstream pipelines are
// followed too (their projects' events included), nested under the trigger job, their jobs named
// `<trigger job> > <job>`.

import type { Client } from "@buildsim/client";
import type { BuildStatus, PipelineJobEntity, PipelineStatus } from "@buildsim/core";
import type { BoardJob, BoardState } from "./board.js";
import { createTraceLines, type TraceLines } from "./trace-lines.js";

/** A job that became `manual` (waiting to be played). */
export interface ManualJob {
  id: number;
  /** The job's own name (without the `<trigger job> > ` prefix). */
  name: string;
  projectId: number;
}

export interface PipelineWatcherOptions {
  client: Client;
  projectId: number;
  pipelineId: number;
  /** The board state after every change. */
  onChange(state: BoardState): void;
  /** Each complete line a job printed (a final unterminated line comes when the job ends). */
  onLine(jobName: string, line: string): void;
  /** A job became `manual`; when this returns a promise (a play), the watcher reads again once it settles. */
  onManual?(job: ManualJob): unknown;
}

export interface PipelineWatch {
  /** Resolves once no job is running or can still start on its own, with the final state. */
  done: Promise<BoardState>;
  /** The watch does not settle before `work` (a cancel in flight, say) has; then it reads again. */
  hold(work: Promise<unknown>): void;
  stop(): void;
}

const SETTLED: readonly PipelineStatus[] = ["success", "failed", "canceled", "skipped", "manual"];
const ACTIVE: readonly BuildStatus[] = ["pending", "running", "scheduled", "waiting_for_resource"];

/** One read of the whole tree: the board state, and every job read (retried ones too) by id. */
interface Snapshot {
  state: BoardState;
  jobs: Map<number, { job: PipelineJobEntity; projectId: number; shownAs: string }>;
  projects: Set<number>;
}

/** Every job of the tree, downstream pipelines' included. */
const allJobs = (state: BoardState): BoardJob[] =>
  state.jobs.flatMap((j) => [j, ...(j.downstream ? allJobs(j.downstream) : [])]);
const allPipelines = (state: BoardState): BoardState[] => [
  state,
  ...state.jobs.flatMap((j) => (j.downstream ? allPipelines(j.downstream) : [])),
];

/** Starts following `pipelineId` of `projectId`. */
export function watchPipeline(o: PipelineWatcherOptions): PipelineWatch {
  const controller = new AbortController();
  const { signal } = controller;
  let settle!: { resolve: (state: BoardState) => void; reject: (error: unknown) => void };
  const done = new Promise<BoardState>((resolve, reject) => {
    settle = { resolve, reject };
  });
  let finished = false;
  const fail = (error: unknown) => {
    if (finished) return;
    finished = true;
    controller.abort();
    settle.reject(error);
  };

  // Trace bytes received per build: the stored size moves only when the trace is flushed.
  const received = new Map<number, number>();
  const readPipeline = async (
    projectId: number,
    pipelineId: number,
    prefix: string,
    out: Snapshot,
  ): Promise<BoardState> => {
    const read = await o.client.buildsim.pipelineJobs(projectId, pipelineId, { signal });
    out.projects.add(read.project_id);
    for (const job of read.jobs)
      out.jobs.set(job.id, { job, projectId: read.project_id, shownAs: `${prefix}${job.name}` });
    // File order, as GitLab lists a stage's jobs: a retried job keeps the place of its first attempt.
    const firstId = new Map<string, number>();
    for (const b of read.jobs) firstId.set(b.name, Math.min(firstId.get(b.name) ?? b.id, b.id));
    const place = (b: PipelineJobEntity) => firstId.get(b.name) ?? b.id;
    const latest = read.jobs
      .filter((b) => !b.retried)
      .sort((a, b) => a.stage_idx - b.stage_idx || place(a) - place(b));
    const jobs = await Promise.all(
      latest.map(async (b): Promise<BoardJob> => {
        const down = b.downstream_pipeline;
        const downstream = down
          ? await readPipeline(down.project_id, down.id, `${prefix}${b.name} > `, out)
          : undefined;
        return {
          id: b.id,
          name: `${prefix}${b.name}`,
          stage: b.stage,
          status: b.status as BuildStatus,
          startedAt: b.started_at,
          finishedAt: b.finished_at,
          allowFailure: b.allow_failure,
          traceBytes: Math.max(b.trace_size, received.get(b.id) ?? 0),
          scheduledAt: b.scheduled_at,
          when: b.when,
          ...(downstream ? { downstream } : {}),
        };
      }),
    );
    return {
      pipelineId,
      status: read.status as PipelineStatus,
      stages: [...new Set(latest.map((b) => b.stage))],
      jobs,
    };
  };
  const snapshot = async (): Promise<Snapshot> => {
    const out: Snapshot = { state: undefined as never, jobs: new Map(), projects: new Set() };
    out.state = await readPipeline(o.projectId, o.pipelineId, "", out);
    return out;
  };

  // Each job that ran has its log followed until the server ends it; lines go out as they complete.
  const traces = new Map<number, TraceLines>();
  const followTrace = (jobId: number, projectId: number, shownAs: string) => {
    const lines = createTraceLines((line) => o.onLine(shownAs, line));
    traces.set(jobId, lines);
    void (async () => {
      try {
        for await (const event of o.client.watchTrace(projectId, jobId, { signal, mode: "websocket" })) {
          if (event.type !== "chunk") continue;
          received.set(jobId, (received.get(jobId) ?? 0) + event.bytes.length);
          lines.push(event.bytes);
        }
        lines.end();
        queueCheck();
      } catch (error) {
        fail(error);
      }
    })();
  };

  // Events are hints: each one (and each reconnect) means "read again".
  const watchedProjects = new Set<number>();
  const watchEvents = (projectId: number) => {
    watchedProjects.add(projectId);
    void (async () => {
      try {
        for await (const _ of o.client.watchProjectEvents(projectId, { signal })) queueCheck();
      } catch (error) {
        fail(error);
      }
    })();
  };

  let held = 0;
  const announcedManual = new Set<number>();
  const check = async () => {
    let read = await snapshot();
    const plays: unknown[] = [];
    for (const job of allJobs(read.state)) {
      if (job.status !== "manual" || announcedManual.has(job.id)) continue;
      announcedManual.add(job.id);
      const known = read.jobs.get(job.id)!;
      plays.push(o.onManual?.({ id: job.id, name: known.job.name, projectId: known.projectId }));
    }
    // Playing a manual job changes the pipeline: look again before deciding anything.
    if (plays.length > 0) {
      await Promise.all(plays);
      read = await snapshot();
    }
    if (finished) return;
    for (const projectId of read.projects) if (!watchedProjects.has(projectId)) watchEvents(projectId);
    for (const [id, { job, projectId, shownAs }] of read.jobs)
      if (!job.trigger && !traces.has(id) && (job.status === "running" || job.trace_size > 0))
        followTrace(id, projectId, shownAs);
    // A finished job's last lines come before its new status: wait for its log to end.
    for (const [id, { job }] of read.jobs)
      if (job.status !== "running" && traces.get(id)?.ended === false) return;
    o.onChange(read.state);
    // A countdown, a wait for a resource group or a downstream pipeline ends on its own: keep watching.
    const active = allJobs(read.state).some((j) => ACTIVE.includes(j.status));
    if (held === 0 && !active && allPipelines(read.state).every((p) => SETTLED.includes(p.status))) {
      finished = true;
      controller.abort();
      settle.resolve(read.state);
    }
  };

  // One change emits several events (a build, the next stage, the pipeline): read once, after all of them,
  // and once more if more came while reading.
  let checking = false;
  let again = false;
  function queueCheck() {
    if (finished) return;
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    setImmediate(async () => {
      try {
        do {
          again = false;
          await check();
        } while (again && !finished);
      } catch (error) {
        fail(error);
      } finally {
        checking = false;
      }
    });
  }

  watchEvents(o.projectId);
  queueCheck();
  return {
    done,
    hold(work) {
      held += 1;
      const release = () => {
        held -= 1;
        queueCheck();
      };
      work.then(release, release);
    },
    stop() {
      finished = true;
      controller.abort();
    },
  };
}
