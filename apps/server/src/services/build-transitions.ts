// Changes a build's status the only way allowed: core's applyBuildEvent, then the actions it returns
// (pipeline status, pipeline processing, runner cancel), all inside the caller's transaction; events
// for the bus are emitted once it has committed.

import {
  applyBuildEvent,
  type Build,
  type BuildEvent,
  bridgeEventForDownstream,
  compositeStatus,
  isCompletedStatus,
  type Pipeline,
  pipelineWithStatus,
  reopenAfterRetry,
  retryBuild,
  shouldAutoRetry,
} from "@buildsim/core";
import { randomToken } from "../auth/random-token.js";
import type { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import { trackDeployment } from "./deployments.js";
import { createPipelineProcessor, type PipelineChanges } from "./pipeline-processor.js";
import { nextResourceHolder } from "./resource-groups.js";

/** Fires events at builds and keeps their pipelines consistent. */
export function createBuildTransitions(
  store: Store,
  events: ServerEvents,
  /** Job tokens for builds retried automatically (`retry:`). */
  generateToken: () => string = randomToken,
) {
  /** Emits after commit, so listeners only ever see committed state. */
  const emitBuild = (build: Build) =>
    store.onCommit(() => {
      events.emit("buildChanged", build);
      if (build.status === "pending") events.emit("buildQueued", build);
    });

  /** Recomputes and saves the pipeline's status; the pipeline as it stands then (undefined: no such one). */
  function updatePipelineStatus(pipelineId: number, at: string): Pipeline | undefined {
    const pipeline = store.pipelines.get(pipelineId);
    // The composite status depends only on which (status, allow_failure) pairs the latest builds show:
    // read those, not every build, so a change costs the same in a pipeline of 10 or of 10,000.
    const status = compositeStatus(store.builds.latestStatusGroups(pipelineId)) ?? "skipped";
    const next = pipeline && pipelineWithStatus(pipeline, status, at);
    if (!next) return pipeline;
    store.pipelines.save(next);
    store.onCommit(() => events.emit("pipelineChanged", next));
    if (next.upstreamBridgeId !== null) inheritFromDownstream(next.upstreamBridgeId, next.status, at);
    return next;
  }

  /**
   * `strategy: depend | mirror`: the bridge that created a downstream pipeline follows its status
   * (PipelineBridgeStatusService); the machine takes the event only while the bridge waits for it.
   */
  function inheritFromDownstream(bridgeId: number, status: Build["status"], at: string): void {
    const bridge = store.builds.get(bridgeId);
    if (!bridge?.trigger) return;
    const event = bridgeEventForDownstream(bridge.trigger.strategy, status, at);
    if (event) fire(bridge, event);
  }

  /**
   * `Ci::Pipeline#reset_source_bridge!`, after a job of `pipelineId` was retried or played, or the pipeline
   * retried: the bridge that created it, when it has a strategy, waits again (`pending`), the jobs after it
   * that were skipped become processable (ResetSkippedJobsService), and so on up the pipeline tree.
   */
  function reopenSourceBridges(
    pipelineId: number,
    at: string,
    /** The pipeline when the caller holds it (its upstream bridge never changes). */
    pipeline: Pick<Pipeline, "upstreamBridgeId"> | undefined = store.pipelines.get(pipelineId),
  ): void {
    let upstreamBridgeId = pipeline?.upstreamBridgeId ?? null;
    while (upstreamBridgeId !== null) {
      const bridge = store.builds.get(upstreamBridgeId);
      // `bridge_waiting?`; a bridge retried since has a downstream pipeline of its own.
      if (!bridge?.trigger?.strategy || bridge.retried) return;
      const reopened = fire(bridge, { type: "await_downstream", at });
      if (reopened === bridge) return;
      const reopen = reopenAfterRetry(store.builds.latestInStatus(bridge.pipelineId, "skipped"), bridge, at);
      for (const { buildId, event } of reopen) fire(store.builds.get(buildId)!, event);
      reprocessReopened(bridge.pipelineId, reopen, at);
      upstreamBridgeId = store.pipelines.get(bridge.pipelineId)?.upstreamBridgeId ?? null;
    }
  }

  /**
   * After skipped builds re-opened (`created` again): those waiting on `needs` that do not include what
   * was retried may be decidable at once, as GitLab processes the pipeline after resetting them.
   */
  function reprocessReopened(pipelineId: number, reopened: ReadonlyArray<{ buildId: number }>, at: string) {
    if (reopened.length > 0) process(pipelineId, at, { names: [], reopened: reopened.map((r) => r.buildId) });
  }

  // Reads only the created builds that can be decided, and the status pairs before them.
  const processor = createPipelineProcessor(store, (build, event) => fire(build, event));
  /** Processes a pipeline: after `changes` (job names moved, builds re-opened), or wholly without them. */
  const process = (pipelineId: number, at: string, changes?: PipelineChanges) =>
    processor.process(pipelineId, at, changes);

  /** Retries a build that just failed when its `retry:` allows another attempt. */
  function autoRetry(failed: Build, at: string): void {
    // Most jobs have no `retry:`: decide that before counting attempts (a read of the pipeline's builds).
    if (!shouldAutoRetry(failed, 0)) return;
    if (!shouldAutoRetry(failed, store.builds.countNamed(failed.pipelineId, failed.name))) return;
    const fresh = retryBuild(failed, {
      id: store.builds.nextId(),
      token: generateToken(),
      userId: failed.userId,
      at,
    });
    store.builds.markRetried(failed);
    store.builds.insert(fresh);
    emitBuild(fresh);
    if (fresh.environment) trackDeployment(store, fresh, at);
    if (fresh.status === "waiting_for_resource") assignResource(fresh, at);
  }

  /**
   * Hands the resource of `build`'s group to the next waiting build once nobody holds it (GitLab's
   * AssignResourceFromResourceGroupWorker, run after a build starts waiting or releases the resource).
   */
  function assignResource(build: Build, at: string): void {
    const group = build.resourceGroup;
    if (group === null) return;
    const active = store.builds.listResourceGroupActive(build.projectId, group);
    const id = nextResourceHolder(active, store.resourceGroups.processMode(build.projectId, group));
    const next = id === null ? undefined : active.find((b) => b.id === id);
    if (next) fire(next, { type: "enqueue_waiting_for_resource", at });
  }

  /**
   * Fires `event` at `build` (must be the stored state), saves the result and performs its actions.
   * Returns the build after the event; the same build when the status did not accept it.
   */
  function fire(build: Build, event: BuildEvent): Build {
    const t = applyBuildEvent(build, event);
    if (!t.changed) return build;
    store.builds.saveTransition(t.build, build);
    processor.noteChange(t.build);
    emitBuild(t.build);
    if (t.build.environment) trackDeployment(store, t.build, event.at);
    // `retry:` — the retry must exist before the pipeline is processed, or later stages would be skipped.
    if (t.build.status === "failed") autoRetry(t.build, event.at);
    for (const action of t.actions) {
      if (action.type === "updatePipelineStatus") updatePipelineStatus(t.build.pipelineId, event.at);
      // Only the jobs that need this one can have become decidable (and the stage after it).
      else if (action.type === "processPipeline")
        process(t.build.pipelineId, event.at, { names: [t.build.name] });
      else if (action.type === "notifyRunnerCancel") {
        const runnerId = action.runnerId;
        store.onCommit(() => events.emit("runnerMustCancel", { buildId: t.build.id, runnerId }));
      }
    }
    if (t.build.status === "waiting_for_resource" || isCompletedStatus(t.build.status))
      assignResource(t.build, event.at);
    return t.build;
  }

  return {
    fire,
    updatePipelineStatus,
    processPipeline: process,
    reprocessReopened,
    /** Saves a change that is not a status change (artifacts, erase, keep) and announces it. */
    saveDetails(build: Build): Build {
      if (store.builds.get(build.id)?.status !== build.status)
        throw new Error(`saveDetails must not change the status of build ${build.id}`);
      store.builds.save(build);
      emitBuild(build);
      return build;
    },
    /** Marks `build` (the stored state) retried and announces it; not a status change. */
    markRetried(build: Build): Build {
      store.builds.markRetried(build);
      const retried = { ...build, retried: true };
      emitBuild(retried);
      return retried;
    },
    /** Announces a newly inserted build and creates its environment and deployment. */
    announce(build: Build): void {
      emitBuild(build);
      if (build.environment) trackDeployment(store, build, build.createdAt);
    },
    /** Gives a newly inserted build waiting for its resource group the resource, when it is free. */
    assignResource,
    reopenSourceBridges,
  };
}

export type BuildTransitions = ReturnType<typeof createBuildTransitions>;
