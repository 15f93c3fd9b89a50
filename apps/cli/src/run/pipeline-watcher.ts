// Follows one pipeline inside the server process: job statuses and trace bytes as they are committed,
// turned into board states and whole log lines, until nothing more can happen without a person. Trigger
// jobs' downstream pipelines are followed too, nested under the trigger job, their jobs named
// `<trigger job> > <job>`.

import type { Build, BuildStatus, PipelineStatus } from "@buildsim/core";
import { MaskedTrace, type ServerEvents, type Store, traceSecretsOf } from "@buildsim/server";
import type { BoardState } from "./board.js";

export interface PipelineWatcherOptions {
  store: Store;
  events: ServerEvents;
  pipelineId: number;
  /** The board state after every committed change. */
  onChange(state: BoardState): void;
  /** Each complete line a job printed (a final unterminated line comes when the job ends). */
  onLine(jobName: string, line: string): void;
  /** A build became `manual` (waiting to be played). */
  onManual?(build: Build): void;
}

export interface PipelineWatch {
  /** Resolves once no job is running or can still start on its own, with the final state. */
  done: Promise<BoardState>;
  stop(): void;
}

const SETTLED: readonly PipelineStatus[] = ["success", "failed", "canceled", "skipped", "manual"];
const ACTIVE: readonly BuildStatus[] = ["pending", "running", "scheduled", "waiting_for_resource"];

/** Starts following `pipelineId`. */
export function watchPipeline(o: PipelineWatcherOptions): PipelineWatch {
  // Masked as every trace is (tokens, masked variables as `[MASKED]`), also across two writes.
  const decoders = new Map<
    number,
    { decoder: TextDecoder; partial: string; name: string; masked: MaskedTrace }
  >();
  let resolveDone!: (state: BoardState) => void;
  const done = new Promise<BoardState>((resolve) => {
    resolveDone = resolve;
  });
  let finished = false;

  // Trace bytes received per build: the store's count moves only when the trace is flushed.
  const received = new Map<number, number>();
  /** Each followed pipeline's name prefix: "" for the top one, "bridge > " for a downstream one. */
  let prefixes = new Map<number, string>([[o.pipelineId, ""]]);
  const snapshotOf = (pipelineId: number, prefix: string, next: Map<number, string>): BoardState => {
    next.set(pipelineId, prefix);
    const all = o.store.builds.listByPipeline(pipelineId);
    // File order, as GitLab lists a stage's jobs: a retried job keeps the place of its first attempt.
    const firstId = new Map<string, number>();
    for (const b of all) firstId.set(b.name, Math.min(firstId.get(b.name) ?? b.id, b.id));
    const place = (b: Build) => firstId.get(b.name) ?? b.id;
    const latest = all
      .filter((b) => !b.retried)
      .sort((a, b) => a.stageIdx - b.stageIdx || place(a) - place(b));
    const stages = [...new Set(latest.map((b) => b.stage))];
    return {
      pipelineId,
      status: o.store.pipelines.get(pipelineId)?.status ?? "created",
      stages,
      jobs: latest.map((b) => {
        const downstream = b.trigger ? o.store.pipelines.downstreamOf(b.id) : undefined;
        return {
          id: b.id,
          name: `${prefix}${b.name}`,
          stage: b.stage,
          status: b.status,
          startedAt: b.startedAt,
          finishedAt: b.finishedAt,
          allowFailure: b.allowFailure,
          traceBytes: Math.max(b.trace.bytes, received.get(b.id) ?? 0),
          scheduledAt: b.scheduledAt,
          when: b.when,
          ...(downstream ? { downstream: snapshotOf(downstream.id, `${prefix}${b.name} > `, next) } : {}),
        };
      }),
    };
  };
  const snapshot = (): BoardState => {
    const next = new Map<number, string>();
    const state = snapshotOf(o.pipelineId, "", next);
    prefixes = next;
    return state;
  };
  /** Every job of the tree, downstream pipelines' included. */
  const allJobs = (state: BoardState): BoardState["jobs"] =>
    state.jobs.flatMap((j) => [j, ...(j.downstream ? allJobs(j.downstream) : [])]);
  const allPipelines = (state: BoardState): BoardState[] => [
    state,
    ...state.jobs.flatMap((j) => (j.downstream ? allPipelines(j.downstream) : [])),
  ];
  const followed = (pipelineId: number): boolean => {
    if (!prefixes.has(pipelineId)) snapshot();
    return prefixes.has(pipelineId);
  };

  const flush = (buildId: number) => {
    const d = decoders.get(buildId);
    if (!d) return;
    const lines = (d.partial + d.decoder.decode(d.masked.flush().data)).split("\n");
    const last = lines.pop() ?? "";
    for (const line of lines) o.onLine(d.name, line.replace(/\r$/, ""));
    if (last) o.onLine(d.name, last.replace(/\r$/, ""));
    decoders.delete(buildId);
  };

  const announcedManual = new Set<number>();
  const check = () => {
    if (finished) return;
    // Read from the store, not the event: later changes of the same commit are already visible here.
    let state = snapshot();
    let announced = false;
    for (const job of allJobs(state)) {
      if (job.status !== "manual" || announcedManual.has(job.id)) continue;
      announcedManual.add(job.id);
      announced = true;
      const build = o.store.builds.get(job.id);
      if (build) o.onManual?.(build);
    }
    // Playing a manual job changes the store at once: look again before deciding anything.
    if (announced) state = snapshot();
    o.onChange(state);
    // A countdown, a wait for a resource group or a downstream pipeline ends on its own: keep watching.
    const active = allJobs(state).some((j) => ACTIVE.includes(j.status));
    if (!active && allPipelines(state).every((p) => SETTLED.includes(p.status))) {
      finished = true;
      stop();
      resolveDone(state);
    }
  };

  // One commit emits several events (a build, the next stage, the pipeline): look once, after all of them.
  let checkQueued = false;
  const queueCheck = () => {
    if (checkQueued) return;
    checkQueued = true;
    setImmediate(() => {
      checkQueued = false;
      check();
    });
  };
  const onBuild = (build: Build) => {
    if (!followed(build.pipelineId)) return;
    if (build.status !== "running" && build.status !== "pending") flush(build.id);
    queueCheck();
  };
  const onPipeline = (pipeline: { id: number }) => {
    if (followed(pipeline.id)) queueCheck();
  };
  const onTrace = (event: { buildId: number; data: Buffer }) => {
    received.set(event.buildId, (received.get(event.buildId) ?? 0) + event.data.length);
    let d = decoders.get(event.buildId);
    if (!d) {
      const build = o.store.builds.get(event.buildId);
      if (!build || !followed(build.pipelineId)) return;
      d = {
        decoder: new TextDecoder(),
        partial: "",
        name: `${prefixes.get(build.pipelineId) ?? ""}${build.name}`,
        masked: new MaskedTrace(traceSecretsOf(o.store, build), Buffer.alloc(0)),
      };
      decoders.set(event.buildId, d);
    }
    const text = d.partial + d.decoder.decode(d.masked.append(event.data).data, { stream: true });
    const lines = text.split("\n");
    d.partial = lines.pop() ?? "";
    for (const line of lines) o.onLine(d.name, line.replace(/\r$/, ""));
  };

  function stop() {
    o.events.off("buildChanged", onBuild);
    o.events.off("pipelineChanged", onPipeline);
    o.events.off("traceAppended", onTrace);
  }

  o.events.on("buildChanged", onBuild);
  o.events.on("pipelineChanged", onPipeline);
  o.events.on("traceAppended", onTrace);
  check();
  return { done, stop };
}
