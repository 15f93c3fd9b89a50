// GitLab's pipeline processing rule: when earlier stages (or a job's `needs`) are complete, each `created`
// build either becomes pending (or waits for its resource group), becomes manual, is scheduled (delayed)
// or is skipped, according to its `when`.
// Pure: it returns the events to fire; the caller fires them through `applyBuildEvent` and saves them.
// Where a decided build lands (pending, waiting, manual, scheduled, skipped) is the machine's answer too:
// later stages are decided against it in the same call.

import { applyBuildEvent } from "./apply-build-event.js";
import type { BuildEvent } from "./build-events.js";
import type { Build, Timestamp } from "./domain.js";
import { compositeStatus, latestBuilds } from "./pipeline-status.js";
import type { BuildWhen, PipelineStatus } from "./status.js";

export type ProcessDecision = {
  buildId: number;
  event: Extract<BuildEvent, { type: "enqueue" | "skip" | "actionize" | "schedule" }>;
};

/** Prior outcomes under which a build with this `when` runs; any other complete outcome skips it. */
const RUNS_AFTER: Record<BuildWhen, readonly PipelineStatus[]> = {
  on_success: ["success", "skipped"],
  on_failure: ["failed"],
  always: ["success", "failed", "skipped", "canceled"],
  manual: ["success", "skipped"],
  delayed: ["success", "skipped"],
  never: [],
};

const COMPLETE: readonly PipelineStatus[] = ["success", "failed", "canceled", "skipped"];

/**
 * Whether what comes before a `created` build (the composite status of its earlier stages, or of its
 * `needs`) is complete, so the build can be decided; while not, it waits.
 */
export function isPriorComplete(prior: PipelineStatus): boolean {
  return COMPLETE.includes(prior);
}

/**
 * The decision for one `created` build whose prior work (earlier stages, or its `needs`) has the
 * composite status `prior`, or null while that work is not complete. {@link processPipeline} applies it
 * to a whole pipeline; a store can apply it to just the builds that can be decided.
 */
export function decideCreatedBuild(
  build: Pick<Build, "id" | "when">,
  prior: PipelineStatus,
  at: Timestamp,
): ProcessDecision | null {
  // Earlier work still running, pending, created or blocked on a manual job: wait.
  if (!isPriorComplete(prior)) return null;
  if (!RUNS_AFTER[build.when].includes(prior)) return { buildId: build.id, event: { type: "skip", at } };
  if (build.when === "manual") return { buildId: build.id, event: { type: "actionize", at } };
  // Ci::ProcessBuildService: a `schedulable?` (delayed) build starts its countdown instead of queueing.
  if (build.when === "delayed") return { buildId: build.id, event: { type: "schedule", at } };
  return { buildId: build.id, event: { type: "enqueue", at } };
}

/**
 * Decides what happens to every `created` build of one pipeline, given all its builds (retried ones are
 * ignored). Decisions cascade: a skip in one stage can decide the next stage in the same call.
 */
export function processPipeline(builds: readonly Build[], at: Timestamp): ProcessDecision[] {
  const working = latestBuilds(builds);
  const decisions: ProcessDecision[] = [];
  const stages = [...new Set(working.map((b) => b.stageIdx))].sort((a, b) => a - b);

  const priorFor = (build: Build): PipelineStatus => {
    const prior =
      build.needs === null
        ? working.filter((b) => b.stageIdx < build.stageIdx)
        : working.filter((b) => build.needs?.includes(b.name));
    // Nothing before it (first stage, or `needs: []`): it may start.
    return compositeStatus(prior) ?? "success";
  };

  let changed = true;
  while (changed) {
    changed = false;
    for (const stageIdx of stages) {
      working.forEach((build, i) => {
        if (build.stageIdx !== stageIdx || build.status !== "created") return;
        const decision = decideCreatedBuild(build, priorFor(build), at);
        if (!decision) return;
        const next = applyBuildEvent(build, decision.event);
        // `created` accepts every decision; were one refused, the build would stay undecided, not loop.
        if (!next.changed) return;
        working[i] = next.build;
        decisions.push(decision);
        changed = true;
      });
    }
  }
  return decisions;
}
