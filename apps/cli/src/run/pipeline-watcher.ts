// Follows one pipeline inside the server process: job statuses and trace bytes as they are committed,
// turned into board states and whole log lines, until nothing more can happen without a person.

import type { Build, BuildStatus, PipelineStatus } from "@buildsim/core";
import type { ServerEvents, Store } from "@buildsim/server";
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
  const decoders = new Map<number, { decoder: TextDecoder; partial: string; name: string }>();
  let resolveDone!: (state: BoardState) => void;
  const done = new Promise<BoardState>((resolve) => {
    resolveDone = resolve;
  });
  let finished = false;

  const builds = () => o.store.builds.listByPipeline(o.pipelineId).filter((b) => !b.retried);
  const snapshot = (): BoardState => {
    const latest = builds().sort((a, b) => a.stageIdx - b.stageIdx || a.id - b.id);
    const stages = [...new Set(latest.map((b) => b.stage))];
    return {
      pipelineId: o.pipelineId,
      status: o.store.pipelines.get(o.pipelineId)?.status ?? "created",
      stages,
      jobs: latest.map((b) => ({
        id: b.id,
        name: b.name,
        stage: b.stage,
        status: b.status,
        startedAt: b.startedAt,
        finishedAt: b.finishedAt,
        allowFailure: b.allowFailure,
        traceBytes: b.trace.bytes,
      })),
    };
  };

  const flush = (buildId: number) => {
    const d = decoders.get(buildId);
    if (!d) return;
    const rest = d.partial + d.decoder.decode();
    if (rest) o.onLine(d.name, rest.replace(/\r$/, ""));
    decoders.delete(buildId);
  };

  const announcedManual = new Set<number>();
  const check = () => {
    if (finished) return;
    // Read from the store, not the event: later changes of the same commit are already visible here.
    for (const b of builds()) {
      if (b.status !== "manual" || announcedManual.has(b.id)) continue;
      announcedManual.add(b.id);
      o.onManual?.(b);
    }
    const state = snapshot();
    o.onChange(state);
    // A countdown or a wait for a resource group ends on its own: keep watching.
    const active = state.jobs.some((j) => ACTIVE.includes(j.status));
    if (!active && SETTLED.includes(state.status)) {
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
    if (build.pipelineId !== o.pipelineId) return;
    if (build.status !== "running" && build.status !== "pending") flush(build.id);
    queueCheck();
  };
  const onPipeline = (pipeline: { id: number }) => {
    if (pipeline.id === o.pipelineId) queueCheck();
  };
  const onTrace = (event: { buildId: number; data: Buffer }) => {
    let d = decoders.get(event.buildId);
    if (!d) {
      const build = o.store.builds.get(event.buildId);
      if (!build || build.pipelineId !== o.pipelineId) return;
      d = { decoder: new TextDecoder(), partial: "", name: build.name };
      decoders.set(event.buildId, d);
    }
    const text = d.partial + d.decoder.decode(event.data, { stream: true });
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
