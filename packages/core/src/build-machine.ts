// The build state machine (xstate v5): the one place that decides whether a status change is legal and
// what it implies. Transitions follow GitLab's CommitStatus/Ci::Build/Ci::Processable state machines
// (`manual`, `scheduled` for delayed jobs, `waiting_for_resource` for resource groups).
// Timestamps are assigned from the event's `at`; everything else the change implies comes back as actions
// for the caller to perform after it has saved the result.

import { and, assign, setup } from "xstate";
import type { BuildEvent, DownstreamOutcome } from "./build-events.js";
import type { Timestamp } from "./domain.js";
import type { BuildWhen, FailureReason } from "./status.js";

/** The part of a build that the machine reads and writes. */
export interface BuildMachineContext {
  when: BuildWhen;
  hasCommands: boolean;
  /** A trigger job (`Ci::Bridge`): it runs no script, its downstream pipeline is its work. */
  isBridge: boolean;
  /** `with_resource_group?`: enqueueing waits for the group's resource first. */
  hasResourceGroup: boolean;
  /** `start_in` in seconds: the countdown `schedule` starts. */
  startInS: number | null;
  scheduledAt: Timestamp | null;
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

// Shared transitions. Arriving in `pending` sets `queued_at`; with a resource group, enqueueing first
// waits for the resource (Ci::Processable's `enqueue … => :waiting_for_resource, if: :with_resource_group?`).
const TO_PENDING = { target: "pending", actions: ["setQueuedAt", "updatePipelineStatus"] } as const;
const TO_WAITING = { target: "waiting_for_resource", actions: ["updatePipelineStatus"] } as const;
// Transitions shared by several states, written once (each state lists which of them it accepts).
const TO_SKIPPED = { target: "skipped", actions: ["updatePipelineStatus", "processPipeline"] } as const;
const TO_DROPPED = {
  target: "failed",
  actions: ["setFailure", "setFinishedAt", "updatePipelineStatus", "processPipeline"],
} as const;
const TO_SUCCESS = {
  target: "success",
  actions: ["setExitCode", "setFinishedAt", "updatePipelineStatus", "processPipeline"],
} as const;
const TO_CANCELED = {
  target: "canceled",
  actions: ["setFinishedAt", "updatePipelineStatus", "processPipeline"],
} as const;
const ENQUEUE = [{ guard: "hasResourceGroup", ...TO_WAITING }, TO_PENDING] as const;
// A trigger job takes its downstream pipeline's outcome from any waiting status (Ci::Bridge's `all =>`).
const FOLLOW_DOWNSTREAM = [
  { guard: and(["isBridge", "downstreamSuccess"]), ...TO_SUCCESS },
  {
    guard: and(["isBridge", "downstreamFailed"]),
    target: "failed",
    actions: ["setDownstreamFailure", "setFinishedAt", "updatePipelineStatus", "processPipeline"],
  },
  { guard: and(["isBridge", "downstreamCanceled"]), ...TO_CANCELED },
  { guard: and(["isBridge", "downstreamSkipped"]), ...TO_SKIPPED },
  {
    guard: and(["isBridge", "downstreamManual"]),
    target: "manual",
    actions: ["updatePipelineStatus", "processPipeline"],
  },
] as const;
// The bridge waits again: it is no longer finished, nor failed for its earlier downstream outcome.
const AWAIT_DOWNSTREAM = {
  guard: "isBridge",
  target: "pending",
  actions: ["reopen", "updatePipelineStatus"],
} as const;
const PLAY = [
  {
    guard: and(["isPlayable", "hasResourceGroup"]),
    target: "waiting_for_resource",
    actions: ["setPlayer", "updatePipelineStatus"],
  },
  { guard: "isPlayable", target: "pending", actions: ["setQueuedAt", "setPlayer", "updatePipelineStatus"] },
] as const;

/** A guard: the `follow_downstream` event carries `status`. */
const downstreamIs =
  (status: DownstreamOutcome) =>
  ({ event }: { event: BuildEvent }): boolean =>
    event.type === "follow_downstream" && event.status === status;

export const buildMachine = setup({
  types: {
    context: {} as BuildMachineContext,
    events: {} as BuildEvent,
    input: {} as BuildMachineContext,
  },
  guards: {
    /**
     * `playable?`: a manual or delayed build with a script, or a manual trigger job (Ci::Bridge#playable?).
     * The status part is the source state.
     */
    isPlayable: ({ context }) =>
      (context.when === "manual" || context.when === "delayed") && (context.hasCommands || context.isBridge),
    isBridge: ({ context }) => context.isBridge,
    downstreamSuccess: downstreamIs("success"),
    downstreamFailed: downstreamIs("failed"),
    downstreamCanceled: downstreamIs("canceled"),
    downstreamSkipped: downstreamIs("skipped"),
    downstreamManual: downstreamIs("manual"),
    hasResourceGroup: ({ context }) => context.hasResourceGroup,
    /** `enqueue_scheduled` stops unless `scheduled_at` is unset or past. */
    isDue: ({ context, event }) => context.scheduledAt === null || context.scheduledAt <= event.at,
  },
  actions: {
    setQueuedAt: assign({ queuedAt: ({ event }) => event.at }),
    setScheduledAt: assign({
      scheduledAt: ({ event, context }) =>
        new Date(Date.parse(event.at) + (context.startInS ?? 0) * 1000).toISOString(),
    }),
    // `before_transition scheduled: any`: the countdown is over whichever way the build left.
    clearScheduledAt: assign({ scheduledAt: null }),
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
    setDownstreamFailure: assign({ failureReason: "unknown_failure" as FailureReason }),
    reopen: assign({ finishedAt: null, failureReason: null }),
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
        enqueue: ENQUEUE,
        schedule: { target: "scheduled", actions: ["setScheduledAt", "updatePipelineStatus"] },
        skip: TO_SKIPPED,
        drop: TO_DROPPED,
        success: TO_SUCCESS,
        cancel: TO_CANCELED,
        actionize: { target: "manual", actions: ["updatePipelineStatus"] },
      },
    },
    waiting_for_resource: {
      on: {
        enqueue: TO_PENDING,
        enqueue_waiting_for_resource: TO_PENDING,
        skip: TO_SKIPPED,
        drop: TO_DROPPED,
        success: TO_SUCCESS,
        cancel: TO_CANCELED,
      },
    },
    pending: {
      on: {
        run: { target: "running", actions: ["setStartedAt", "updatePipelineStatus"] },
        skip: TO_SKIPPED,
        drop: TO_DROPPED,
        success: TO_SUCCESS,
        cancel: TO_CANCELED,
        follow_downstream: FOLLOW_DOWNSTREAM,
      },
    },
    running: {
      on: {
        requeue: { target: "pending", actions: ["clearRun", "updatePipelineStatus"] },
        drop: TO_DROPPED,
        success: TO_SUCCESS,
        cancel: {
          target: "canceled",
          actions: ["setFinishedAt", "notifyRunnerCancel", "updatePipelineStatus", "processPipeline"],
        },
        follow_downstream: FOLLOW_DOWNSTREAM,
        await_downstream: AWAIT_DOWNSTREAM,
      },
    },
    manual: {
      on: {
        enqueue: ENQUEUE,
        play: PLAY,
        process: { target: "created", actions: ["updatePipelineStatus"] },
        cancel: TO_CANCELED,
        // A `strategy: mirror` bridge is manual while its downstream pipeline is.
        follow_downstream: FOLLOW_DOWNSTREAM,
        await_downstream: AWAIT_DOWNSTREAM,
      },
    },
    scheduled: {
      // Every way out ends the countdown; `clearScheduledAt` runs first on each.
      exit: "clearScheduledAt",
      on: {
        enqueue: ENQUEUE,
        enqueue_scheduled: [
          { guard: and(["isDue", "hasResourceGroup"]), ...TO_WAITING },
          { guard: "isDue", ...TO_PENDING },
        ],
        play: PLAY,
        unschedule: { target: "manual", actions: ["updatePipelineStatus"] },
        drop: TO_DROPPED,
        cancel: TO_CANCELED,
      },
    },
    skipped: {
      on: {
        enqueue: ENQUEUE,
        process: { target: "created", actions: ["updatePipelineStatus"] },
        await_downstream: AWAIT_DOWNSTREAM,
      },
    },
    // Completed for good: only a retry (a new build) runs this job again — or, for a trigger job, its
    // downstream pipeline running again.
    success: { on: { await_downstream: AWAIT_DOWNSTREAM } },
    failed: { on: { await_downstream: AWAIT_DOWNSTREAM } },
    canceled: { on: { await_downstream: AWAIT_DOWNSTREAM } },
  },
});
