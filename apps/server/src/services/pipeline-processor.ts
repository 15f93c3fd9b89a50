// Pipeline processing (GitLab's `Ci::ProcessPipelineService`) read incrementally: each round decides only
// the `created` builds that can be decided now — those of the lowest stage still holding created builds
// (a stage waits on every stage before it, so no later one can be complete), and those waiting on their
// `needs` — from the (status, allow_failure) pairs of what comes before them, read through the store's
// indexes. Core decides each build (`decideCreatedBuild`, the rule `processPipeline` applies to a whole
// pipeline); firing the decisions moves builds on, and the next round sees what they changed.
// A job waiting on `needs` can only become decidable when a build it names moves, so a round after a
// status change reads the created builds that need the jobs that moved, not every one still waiting: a
// DAG pipeline's processing costs its changes and their dependents, not changes × waiting jobs.

import {
  type Build,
  type BuildEvent,
  compositeStatus,
  decideCreatedBuild,
  isPriorComplete,
  type PipelineStatus,
} from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import type { CreatedWithNeeds } from "../store/processing-queries.js";

/** Fires `event` at `build` (the stored state) and returns the build after it, the same one when refused. */
type Fire = (build: Build, event: BuildEvent) => Build;

/**
 * What moved since the pipeline was last processed: the job names whose builds changed status, and builds
 * that became `created` again (a retry re-opens skipped ones). Left out, processing looks at everything
 * (a new pipeline).
 */
export interface PipelineChanges {
  names: readonly string[];
  reopened?: readonly number[];
}

/** What the next round looks at: everything, or the jobs needing `names` and the `reopened` builds. */
interface Pending {
  all: boolean;
  names: Set<string>;
  reopened: Set<number>;
}

const pendingOf = (changes: PipelineChanges | undefined): Pending => ({
  all: changes === undefined,
  names: new Set(changes?.names),
  reopened: new Set(changes?.reopened),
});

/**
 * Creates the processor: `process(pipelineId, at, changes?)` decides every `created` build of the
 * pipeline that can be decided; `noteChange(build)` must hear of every status change, so that one made
 * while the pipeline is being processed (a decision, or what it set off) is looked at by the next round.
 */
export function createPipelineProcessor(store: Store, fire: Fire) {
  // Firing a decision can ask to process the same pipeline again (a skipped build's actions do): the
  // round loop already running takes what it asked about into its next round, and the nested call returns.
  const processing = new Map<number, Pending>();

  /** The created builds with `needs` that `pending` says may have become decidable. */
  function waitingOnNeeds(pipelineId: number, pending: Pending): CreatedWithNeeds[] {
    if (pending.all) return store.builds.createdWithNeeds(pipelineId);
    const found = pending.names.size === 0 ? [] : store.builds.createdNeeding(pipelineId, [...pending.names]);
    const seen = new Set(found.map((b) => b.id));
    for (const id of pending.reopened) {
      const b = seen.has(id) ? undefined : store.builds.get(id);
      if (b?.status === "created" && !b.retried && b.needs !== null)
        found.push({ id: b.id, stageIdx: b.stageIdx, needs: b.needs });
    }
    return found;
  }

  /** Decides one round; the number of builds it moved on (0: nothing more to decide now). */
  function round(pipelineId: number, at: string, pending: Pending): number {
    const lowest = store.builds.lowestCreatedStage(pipelineId);
    if (lowest === null) return 0;
    const candidates: Array<{ stageIdx: number; id: number; prior: PipelineStatus }> = [];
    // Nothing before it (the first stage): it may start, as core's processPipeline says.
    const stagePrior =
      compositeStatus(store.builds.latestStatusGroupsBefore(pipelineId, lowest)) ?? "success";
    if (isPriorComplete(stagePrior))
      for (const id of store.builds.createdAtStage(pipelineId, lowest))
        candidates.push({ stageIdx: lowest, id, prior: stagePrior });
    // Jobs with `needs` wait on the builds they name only (`needs: []`: on nothing).
    const priorOfNeeds = new Map<string, PipelineStatus>();
    for (const b of waitingOnNeeds(pipelineId, pending)) {
      const key = JSON.stringify(b.needs);
      let prior = priorOfNeeds.get(key);
      if (prior === undefined) {
        prior = compositeStatus(store.builds.latestStatusGroupsNamed(pipelineId, b.needs)) ?? "success";
        priorOfNeeds.set(key, prior);
      }
      if (isPriorComplete(prior)) candidates.push({ stageIdx: b.stageIdx, id: b.id, prior });
    }
    // In stage order, then by id: the order core's processPipeline decides them in.
    candidates.sort((a, b) => a.stageIdx - b.stageIdx || a.id - b.id);
    let moved = 0;
    for (const c of candidates) {
      const build = store.builds.get(c.id);
      if (build?.status !== "created") continue;
      const decision = decideCreatedBuild(build, c.prior, at);
      if (decision && fire(build, decision.event) !== build) moved++;
    }
    return moved;
  }

  return {
    process(pipelineId: number, at: string, changes?: PipelineChanges): void {
      const running = processing.get(pipelineId);
      if (running) {
        const more = pendingOf(changes);
        running.all ||= more.all;
        for (const name of more.names) running.names.add(name);
        for (const id of more.reopened) running.reopened.add(id);
        return;
      }
      let pending = pendingOf(changes);
      try {
        for (;;) {
          // What this round's decisions (and whatever they set off) move is the next round's to look at.
          const current = pending;
          pending = pendingOf({ names: [] });
          processing.set(pipelineId, pending);
          if (round(pipelineId, at, current) === 0) break;
        }
      } finally {
        processing.delete(pipelineId);
      }
    },
    noteChange(build: Pick<Build, "id" | "pipelineId" | "name" | "status">): void {
      const running = processing.get(build.pipelineId);
      if (!running) return;
      running.names.add(build.name);
      if (build.status === "created") running.reopened.add(build.id);
    },
  };
}
