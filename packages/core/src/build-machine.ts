// The build state machine (xstate v5): the one place that decides whether a status change is legal and
// what it implies. Transitions follow GitLab's CommitStatus/Ci::Build state machine (9.x, with `manual`).
// Timestamps are assigned from the event's `at`; everything else the change implies comes back as actions
// for the caller to perform after it has saved the result.

import { assign, setup } from "xstate";
import type { BuildEvent } from "./build-events.js";
import type { Timestamp } from "./domain.js";
import type { BuildWhen, FailureReason } from "./status.js";

/** The part of a build that the machine reads and writes. */
export interface BuildMachineContext {
  when: BuildWhen;
  hasCommands: boolean;
  queuedAt: Timestamp | null;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
  failureReason: FailureReason | null;
  exitCode: number | null;
  runnerId: number | null;
  userId: number | null;
}

/** Side effects a transition asks for. The machine names them; services perform them. */
export type BuildMachineAction =
  /** The build's runner must stop the job now (it was running). */
  | { type: "notifyRunnerCancel"; runnerId: number | null }
  /** The build reached a completed status: later builds of the pipeline may now be processed. */
  | { type: "processPipeline" }
  /** The build's status changed: recompute the pipeline status and tell watchers. */
  | { type: "updatePipelineStatus" };

export const buildMachine = setup({
  types: {
    context: {} as BuildMachineContext,
    events: {} as BuildEvent,
    input: {} as BuildMachineContext,
  },
  guards: {
    /** `playable?` (9.x): a manual build with a script. The status part is the source state. */
    isPlayable: ({ context }) => context.when === "manual" && context.hasCommands,
  },
  actions: {
    setQueuedAt: assign({ queuedAt: ({ event }) => event.at }),
    setStartedAt: assign({
      startedAt: ({ event }) => event.at,
      runnerId: ({ event, context }) => (event.type === "run" ? event.runnerId : context.runnerId),
    }),
    clearRun: assign({ startedAt: () => null, runnerId: () => null }),
    setFinishedAt: assign({ finishedAt: ({ event }) => event.at }),
    setFailure: assign({
      failureReason: ({ event }) => (event.type === "drop" ? (event.reason ?? "unknown_failure") : null),
      exitCode: ({ event, context }) =>
        event.type === "drop" || event.type === "success"
          ? (event.exitCode ?? context.exitCode)
          : context.exitCode,
    }),
    setExitCode: assign({
      exitCode: ({ event, context }) =>
        event.type === "success" ? (event.exitCode ?? context.exitCode) : context.exitCode,
    }),
    setPlayer: assign({
      userId: ({ event, context }) => (event.type === "play" ? event.userId : context.userId),
    }),
    // Named, parameterless actions: `transition()` returns them for the caller instead of running them.
    notifyRunnerCancel: () => {},
    processPipeline: () => {},
    updatePipelineStatus: () => {},
  },
}).createMachine({
  id: "build",
  initial: "created",
  context: ({ input }) => input,
  states: {
    created: {
      on: {
        enqueue: { target: "pending", actions: ["setQueuedAt", "updatePipelineStatus"] },
        skip: { target: "skipped", actions: ["updatePipelineStatus", "processPipeline"] },
        drop: {
          target: "failed",
          actions: ["setFailure", "setFinishedAt", "updatePipelineStatus", "processPipeline"],
        },
        success: {
          target: "success",
          actions: ["setExitCode", "setFinishedAt", "updatePipelineStatus", "processPipeline"],
        },
        cancel: { target: "canceled", actions: ["setFinishedAt", "updatePipelineStatus", "processPipeline"] },
        actionize: { target: "manual", actions: ["updatePipelineStatus"] },
      },
    },
    pending: {
      on: {
        run: { target: "running", actions: ["setStartedAt", "updatePipelineStatus"] },
        skip: { target: "skipped", actions: ["updatePipelineStatus", "processPipeline"] },
        drop: {
          target: "failed",
          actions: ["setFailure", "setFinishedAt", "updatePipelineStatus", "processPipeline"],
        },
        success: {
          target: "success",
          actions: ["setExitCode", "setFinishedAt", "updatePipelineStatus", "processPipeline"],
        },
        cancel: { target: "canceled", actions: ["setFinishedAt", "updatePipelineStatus", "processPipeline"] },
      },
    },
    running: {
      on: {
        requeue: { target: "pending", actions: ["clearRun", "updatePipelineStatus"] },
        drop: {
          target: "failed",
          actions: ["setFailure", "setFinishedAt", "updatePipelineStatus", "processPipeline"],
        },
        success: {
          target: "success",
          actions: ["setExitCode", "setFinishedAt", "updatePipelineStatus", "processPipeline"],
        },
        cancel: {
          target: "canceled",
          actions: ["setFinishedAt", "notifyRunnerCancel", "updatePipelineStatus", "processPipeline"],
        },
      },
    },
    manual: {
      on: {
        enqueue: { target: "pending", actions: ["setQueuedAt", "updatePipelineStatus"] },
        play: {
          target: "pending",
          guard: "isPlayable",
          actions: ["setQueuedAt", "setPlayer", "updatePipelineStatus"],
        },
        process: { target: "created", actions: ["updatePipelineStatus"] },
        cancel: { target: "canceled", actions: ["setFinishedAt", "updatePipelineStatus", "processPipeline"] },
      },
    },
    skipped: {
      on: {
        enqueue: { target: "pending", actions: ["setQueuedAt", "updatePipelineStatus"] },
        process: { target: "created", actions: ["updatePipelineStatus"] },
      },
    },
    // Completed for good: only a retry (a new build) runs this job again.
    success: {},
    failed: {},
    canceled: {},
  },
});
