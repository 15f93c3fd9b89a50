// Applies one event to a stored build, purely: the next build and the actions the change implies.
// This is the only way any part of buildsim changes a build's status.

import { type ActorScope, createActor, type ExecutableActionObject } from "xstate";
import type { BuildEvent } from "./build-events.js";
import { type BuildMachineAction, type BuildMachineContext, buildMachine } from "./build-machine.js";
import type { Build } from "./domain.js";
import { isBuildStatus } from "./status.js";

export interface BuildTransition {
  /** The build after the event; the same object when the event was not accepted. */
  build: Build;
  /** False when the current status does not accept the event (GitLab's "returns false"): a no-op. */
  changed: boolean;
  /** What the caller must do after saving `build`, in order. Empty when nothing changed. */
  actions: BuildMachineAction[];
}

/** What the machine's guards and assignments read of `build`. */
export const machineContextOf = (build: Build): BuildMachineContext => ({
  when: build.when,
  hasCommands: build.commands.length > 0,
  isBridge: build.trigger !== null,
  hasResourceGroup: build.resourceGroup !== null,
  startInS: build.startInS,
  scheduledAt: build.scheduledAt,
  queuedAt: build.queuedAt,
  startedAt: build.startedAt,
  finishedAt: build.finishedAt,
  failureReason: build.failureReason,
  exitCode: build.exitCode,
  runnerId: build.runnerId,
  userId: build.userId,
});

/**
 * `allow_failure: exit_codes`: a failure is allowed only with one of the listed exit codes; any other exit
 * code (or none) makes it a real failure.
 */
function allowsFailureAfter(build: Build, status: Build["status"], exitCode: number | null): boolean {
  if (status !== "failed" || build.allowFailureExitCodes.length === 0) return build.allowFailure;
  return exitCode !== null && build.allowFailureExitCodes.includes(exitCode);
}

// xstate's pure `transition(machine, snapshot, event)` builds a throwaway actor, its system and the
// machine's initial snapshot on every call: ~35 of its ~40 µs here, on every status change of every
// build. The machine's own `transition` with one inert scope, made once, computes the same snapshot and
// actions; the scope only collects the actions (the machine invokes and spawns nothing, so no child ever
// registers in the scope's system). Calls never overlap: each runs to its end synchronously.
let executable: ExecutableActionObject[] = [];
// Its input only shapes the actor's own (unused) initial snapshot; every call resolves its own.
const inert = createActor(buildMachine, {
  input: {
    when: "on_success",
    hasCommands: true,
    isBridge: false,
    hasResourceGroup: false,
    startInS: null,
    scheduledAt: null,
    queuedAt: null,
    startedAt: null,
    finishedAt: null,
    failureReason: null,
    exitCode: null,
    runnerId: null,
    userId: null,
  },
});
const scope: ActorScope<ReturnType<typeof buildMachine.resolveState>, BuildEvent> = {
  self: inert,
  id: "",
  sessionId: "",
  logger: () => {},
  defer: () => {},
  emit: () => {},
  system: inert.system,
  stopChild: () => {},
  actionExecutor: (action) => {
    executable.push(action);
  },
};

/** Fires `event` at `build`. Never throws for an event the status does not accept; see `changed`. */
export function applyBuildEvent(build: Build, event: BuildEvent): BuildTransition {
  const snapshot = buildMachine.resolveState({ value: build.status, context: machineContextOf(build) });
  executable = [];
  const next = buildMachine.transition(snapshot, event, scope);
  const status = next.value;
  if (!isBuildStatus(status)) throw new Error(`build machine reached an unknown state ${String(status)}`);
  if (status === build.status) return { build, changed: false, actions: [] };

  const ctx = next.context;
  const actions: BuildMachineAction[] = [];
  for (const action of executable) {
    if (action.type === "notifyRunnerCancel")
      actions.push({ type: "notifyRunnerCancel", runnerId: build.runnerId });
    else if (action.type === "processPipeline") actions.push({ type: "processPipeline" });
    else if (action.type === "updatePipelineStatus") actions.push({ type: "updatePipelineStatus" });
  }
  // The store writes a status change as these fields only (`TRANSITION_COLUMNS` in the server's
  // store/builds-repo.ts): a field the machine starts to change must be added there too.
  return {
    build: {
      ...build,
      allowFailure: allowsFailureAfter(build, status, ctx.exitCode),
      status,
      queuedAt: ctx.queuedAt,
      scheduledAt: ctx.scheduledAt,
      startedAt: ctx.startedAt,
      finishedAt: ctx.finishedAt,
      failureReason: ctx.failureReason,
      exitCode: ctx.exitCode,
      runnerId: ctx.runnerId,
      userId: ctx.userId,
    },
    changed: true,
    actions,
  };
}
