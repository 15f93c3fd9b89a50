// Pipeline processing (GitLab's `Ci::ProcessPipelineService`) read incrementally: each round decides only
// the `created` builds that can be decided now — those of the lowest stage still holding created builds
// (a stage waits on every stage before it, so no later one can be complete), and those waiting on their
// `needs` — from the (status, allow_failure) pairs of what comes before them, read through the store's
// indexes. Core decides each build (`decideCreatedBuild`, the rule `processPipeline` applies to a whole
// pipeline); firing the decisions moves builds on, and the next round sees what they changed.

import {
  type Build,
  type BuildEvent,
  compositeStatus,
  decideCreatedBuild,
  isPriorComplete,
  type PipelineStatus,
} from "@buildsim/core";
import type { Store } from "../store/create-store.js";

/** Fires `event` at `build` (the stored state) and returns the build after it, the same one when refused. */
type Fire = (build: Build, event: BuildEvent) => Build;

/** Creates `process(pipelineId, at)`: decides every `created` build of the pipeline that can be decided. */
export function createPipelineProcessor(store: Store, fire: Fire) {
  // Firing a decision can ask to process the same pipeline again (a skipped build's actions do): the
  // round loop already running reads the pipeline again after each round, so the nested call returns.
  const processing = new Set<number>();

  /** Decides one round; the number of builds it moved on (0: nothing more to decide now). */
  function round(pipelineId: number, at: string): number {
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
    for (const b of store.builds.createdWithNeeds(pipelineId)) {
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

  return function process(pipelineId: number, at: string): void {
    if (processing.has(pipelineId)) return;
    processing.add(pipelineId);
    try {
      while (round(pipelineId, at) > 0);
    } finally {
      processing.delete(pipelineId);
    }
  };
}
