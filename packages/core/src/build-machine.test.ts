import { describe, expect, it } from "vitest";
import { applyBuildEvent } from "./apply-build-event.js";
import { BUILD_EVENT_TYPES, type BuildEvent, type BuildEventType } from "./build-events.js";
import type { Build } from "./domain.js";
import { newBuild } from "./new-build.js";
import { BUILD_STATUSES, type BuildStatus } from "./status.js";

const AT = "2026-01-01T00:00:10.000Z";

/**
 * GitLab's table (CommitStatus, Ci::Build, Ci::Processable): event → { from: to }. Anything absent is a
 * no-op. https://gitlab.com/gitlab-org/gitlab/-/blob/master/app/models/ci/build.rb (state_machine :status)
 */
const GITLAB_TABLE: Record<BuildEventType, Partial<Record<BuildStatus, BuildStatus>>> = {
  enqueue: {
    created: "pending",
    skipped: "pending",
    manual: "pending",
    scheduled: "pending",
    waiting_for_resource: "pending",
  },
  schedule: { created: "scheduled" },
  enqueue_scheduled: { scheduled: "pending" },
  unschedule: { scheduled: "manual" },
  enqueue_waiting_for_resource: { waiting_for_resource: "pending" },
  process: { skipped: "created", manual: "created" },
  run: { pending: "running" },
  // buildsim's own (see build-events.ts): a claimed build whose runner never got it.
  requeue: { running: "pending" },
  skip: { created: "skipped", waiting_for_resource: "skipped", pending: "skipped" },
  drop: {
    created: "failed",
    waiting_for_resource: "failed",
    pending: "failed",
    running: "failed",
    scheduled: "failed",
  },
  success: { created: "success", waiting_for_resource: "success", pending: "success", running: "success" },
  cancel: {
    created: "canceled",
    waiting_for_resource: "canceled",
    pending: "canceled",
    running: "canceled",
    manual: "canceled",
    scheduled: "canceled",
  },
  actionize: { created: "manual" },
  play: { manual: "pending", scheduled: "pending" },
  // Trigger jobs only (see BRIDGE_TABLE): a build with a script ignores them.
  follow_downstream: {},
  await_downstream: {},
};

/**
 * With a `resource_group`, Ci::Processable sends every enqueue through `waiting_for_resource` first
 * (`transition [:created, :skipped, :manual, :scheduled] => :waiting_for_resource, if: :with_resource_group?`).
 */
const WITH_RESOURCE_GROUP: Record<BuildEventType, Partial<Record<BuildStatus, BuildStatus>>> = {
  ...GITLAB_TABLE,
  enqueue: {
    created: "waiting_for_resource",
    skipped: "waiting_for_resource",
    manual: "waiting_for_resource",
    scheduled: "waiting_for_resource",
    waiting_for_resource: "pending",
  },
  enqueue_scheduled: { scheduled: "waiting_for_resource" },
  play: { manual: "waiting_for_resource", scheduled: "waiting_for_resource" },
};

function eventOf(type: BuildEventType): BuildEvent {
  switch (type) {
    case "run":
      return { type, at: AT, runnerId: 7 };
    case "play":
      return { type, at: AT, userId: 3 };
    case "follow_downstream":
      return { type, at: AT, status: "failed" };
    default:
      return { type, at: AT };
  }
}

function buildIn(status: BuildStatus, extra: Partial<Build> = {}): Build {
  return newBuild({
    id: 1,
    projectId: 1,
    pipelineId: 1,
    name: "rspec",
    ref: "main",
    sha: "a".repeat(40),
    token: "tok",
    createdAt: "2026-01-01T00:00:00.000Z",
    status,
    when: status === "manual" ? "manual" : status === "scheduled" ? "delayed" : "on_success",
    startInS: status === "scheduled" ? 30 : null,
    // A scheduled build's countdown ended before AT, so `enqueue_scheduled` is accepted.
    scheduledAt: status === "scheduled" ? "2026-01-01T00:00:05.000Z" : null,
    ...extra,
  });
}

for (const [label, table, extra] of [
  ["without a resource group", GITLAB_TABLE, {}],
  ["with a resource group", WITH_RESOURCE_GROUP, { resourceGroup: "production" }],
] as const) {
  describe(`the build machine against GitLab's transition table, ${label}`, () => {
    for (const type of BUILD_EVENT_TYPES) {
      for (const from of BUILD_STATUSES) {
        const expected = table[type][from];
        it(`${type} from ${from} ${expected ? `moves to ${expected}` : "is a no-op"}`, () => {
          const before = buildIn(from, extra);
          const result = applyBuildEvent(before, eventOf(type));
          if (expected) {
            expect(result.changed).toBe(true);
            expect(result.build.status).toBe(expected);
          } else {
            expect(result.changed).toBe(false);
            expect(result.build).toBe(before);
            expect(result.actions).toEqual([]);
          }
        });
      }
    }
  });
}

/**
 * Trigger jobs (Ci::Bridge): `inherit_status_from_downstream` moves the bridge from any waiting status to
 * its downstream pipeline's outcome (`success!`, `failed!`, `canceled!`, `skip!`, `manual!` are `all =>`
 * events), and `reset_source_bridge!` (`pending!`) re-opens it when the downstream pipeline runs again.
 * https://gitlab.com/gitlab-org/gitlab/-/blob/master/app/models/ci/bridge.rb
 */
const WAITING_FOR_DOWNSTREAM: readonly BuildStatus[] = ["pending", "running", "manual"];
const REOPENED_BY_DOWNSTREAM: readonly BuildStatus[] = [
  "running",
  "success",
  "failed",
  "canceled",
  "skipped",
  "manual",
];
const TRIGGER = {
  include: ["child.yml"],
  project: null,
  branch: null,
  strategy: "mirror" as const,
  forwardYamlVariables: true,
  forwardPipelineVariables: false,
  inputs: null,
};
const bridgeIn = (status: BuildStatus, extra: Partial<Build> = {}): Build =>
  buildIn(status, { commands: [], trigger: TRIGGER, queuedAt: AT, ...extra });

describe("a trigger job follows its downstream pipeline", () => {
  for (const outcome of ["success", "failed", "canceled", "skipped", "manual"] as const) {
    for (const from of BUILD_STATUSES) {
      const moves = WAITING_FOR_DOWNSTREAM.includes(from) && from !== outcome;
      it(`follow_downstream ${outcome} from ${from} ${moves ? `moves to ${outcome}` : "is a no-op"}`, () => {
        const result = applyBuildEvent(bridgeIn(from), {
          type: "follow_downstream",
          at: AT,
          status: outcome,
        });
        expect(result.changed).toBe(moves);
        if (moves) expect(result.build.status).toBe(outcome);
      });
    }
  }

  for (const from of BUILD_STATUSES) {
    const moves = REOPENED_BY_DOWNSTREAM.includes(from);
    it(`await_downstream from ${from} ${moves ? "moves to pending" : "is a no-op"}`, () => {
      const result = applyBuildEvent(bridgeIn(from), { type: "await_downstream", at: AT });
      expect(result.changed).toBe(moves);
      if (moves) expect(result.build.status).toBe("pending");
    });
  }

  it("fails with unknown_failure and a finish time, as GitLab's failed! without a reason", () => {
    const { build, actions } = applyBuildEvent(bridgeIn("running", { startedAt: AT }), {
      type: "follow_downstream",
      at: AT,
      status: "failed",
    });
    expect(build).toMatchObject({ status: "failed", failureReason: "unknown_failure", finishedAt: AT });
    expect(actions.map((a) => a.type)).toEqual(["updatePipelineStatus", "processPipeline"]);
  });

  it("waits again unfinished and without its old failure when its downstream pipeline is retried", () => {
    const failed = bridgeIn("failed", { failureReason: "unknown_failure", finishedAt: AT, startedAt: AT });
    const { build, actions } = applyBuildEvent(failed, { type: "await_downstream", at: AT });
    expect(build).toMatchObject({ status: "pending", failureReason: null, finishedAt: null, startedAt: AT });
    expect(actions.map((a) => a.type)).toEqual(["updatePipelineStatus"]);
  });

  it("is played like a manual build though it has no script (Ci::Bridge#playable?)", () => {
    const manual = bridgeIn("manual", { when: "manual" });
    expect(applyBuildEvent(manual, { type: "play", at: AT, userId: 3 }).build).toMatchObject({
      status: "pending",
      userId: 3,
    });
    // A bridge that is manual only because it mirrors a manual downstream pipeline is not playable.
    const mirrored = bridgeIn("manual", { when: "on_success" });
    expect(applyBuildEvent(mirrored, { type: "play", at: AT, userId: 3 }).changed).toBe(false);
  });
});

describe("timestamps and side effects", () => {
  it("sets queued_at when a created build is enqueued", () => {
    const { build } = applyBuildEvent(buildIn("created"), { type: "enqueue", at: AT });
    expect(build.queuedAt).toBe(AT);
    expect(build.startedAt).toBeNull();
  });

  it("sets started_at and the runner when a runner takes a pending build", () => {
    const { build } = applyBuildEvent(buildIn("pending"), { type: "run", at: AT, runnerId: 9 });
    expect(build.startedAt).toBe(AT);
    expect(build.runnerId).toBe(9);
  });

  it("requeues a running build as it was queued: no runner, no started_at, queued_at kept", () => {
    const running = buildIn("running", { runnerId: 4, startedAt: AT, queuedAt: "2026-01-01T00:00:01.000Z" });
    const { build, actions } = applyBuildEvent(running, { type: "requeue", at: AT });
    expect(build).toMatchObject({ status: "pending", runnerId: null, startedAt: null });
    expect(build.queuedAt).toBe("2026-01-01T00:00:01.000Z");
    expect(actions).toEqual([{ type: "updatePipelineStatus" }]);
  });

  it("sets finished_at on success, failure and cancel, but not on skip", () => {
    for (const type of ["success", "drop", "cancel"] as const) {
      expect(applyBuildEvent(buildIn("running"), { type, at: AT }).build.finishedAt).toBe(AT);
    }
    expect(applyBuildEvent(buildIn("pending"), { type: "skip", at: AT }).build.finishedAt).toBeNull();
  });

  it("records unknown_failure when a runner drops a build without a reason", () => {
    const { build } = applyBuildEvent(buildIn("running"), { type: "drop", at: AT });
    expect(build.failureReason).toBe("unknown_failure");
  });

  it("records the reason and exit code a runner reports", () => {
    const { build } = applyBuildEvent(buildIn("running"), {
      type: "drop",
      at: AT,
      reason: "script_failure",
      exitCode: 2,
    });
    expect(build).toMatchObject({ status: "failed", failureReason: "script_failure", exitCode: 2 });
  });

  it("asks to tell the runner when a running build is canceled, and not otherwise", () => {
    const running = applyBuildEvent(buildIn("running", { runnerId: 4 }), { type: "cancel", at: AT });
    expect(running.actions).toContainEqual({ type: "notifyRunnerCancel", runnerId: 4 });
    const pending = applyBuildEvent(buildIn("pending"), { type: "cancel", at: AT });
    expect(pending.actions.map((a) => a.type)).not.toContain("notifyRunnerCancel");
  });

  it("asks to process the pipeline when a build completes, and only to update its status otherwise", () => {
    expect(
      applyBuildEvent(buildIn("running"), { type: "success", at: AT }).actions.map((a) => a.type),
    ).toEqual(["updatePipelineStatus", "processPipeline"]);
    expect(
      applyBuildEvent(buildIn("created"), { type: "enqueue", at: AT }).actions.map((a) => a.type),
    ).toEqual(["updatePipelineStatus"]);
  });

  it("lets only a playable manual build be played, and makes the player its user", () => {
    const played = applyBuildEvent(buildIn("manual"), { type: "play", at: AT, userId: 3 });
    expect(played.build).toMatchObject({ status: "pending", userId: 3, queuedAt: AT });
    const noScript = applyBuildEvent(buildIn("manual", { commands: [] }), {
      type: "play",
      at: AT,
      userId: 3,
    });
    expect(noScript.changed).toBe(false);
    const notManual = applyBuildEvent(buildIn("manual", { when: "on_success" }), {
      type: "play",
      at: AT,
      userId: 3,
    });
    expect(notManual.changed).toBe(false);
  });

  it("leaves a finished build alone when it is canceled (GitLab answers 201 with it unchanged)", () => {
    const done = buildIn("success", { finishedAt: "2026-01-01T00:00:05.000Z" });
    const result = applyBuildEvent(done, { type: "cancel", at: AT });
    expect(result.changed).toBe(false);
    expect(result.build).toEqual(done);
  });

  it("allows a failure only with one of allow_failure's exit codes", () => {
    const limited = buildIn("running", { allowFailure: true, allowFailureExitCodes: [3, 137] });
    const drop = (exitCode?: number) =>
      applyBuildEvent(limited, { type: "drop", at: AT, reason: "script_failure", exitCode }).build
        .allowFailure;
    expect(drop(137)).toBe(true);
    expect(drop(1)).toBe(false);
    expect(drop()).toBe(false);
    const any = buildIn("running", { allowFailure: true });
    expect(applyBuildEvent(any, { type: "drop", at: AT, exitCode: 1 }).build.allowFailure).toBe(true);
  });

  it("starts a delayed build's countdown on schedule, start_in after the event", () => {
    const delayed = buildIn("created", { when: "delayed", startInS: 90 });
    const { build, actions } = applyBuildEvent(delayed, { type: "schedule", at: AT });
    expect(build).toMatchObject({ status: "scheduled", scheduledAt: "2026-01-01T00:01:40.000Z" });
    expect(build.queuedAt).toBeNull();
    expect(actions.map((a) => a.type)).toEqual(["updatePipelineStatus"]);
  });

  it("keeps a scheduled build scheduled until its countdown ends (GitLab's scheduled_at.past? guard)", () => {
    const counting = buildIn("scheduled", { scheduledAt: "2026-01-01T00:01:00.000Z" });
    const early = applyBuildEvent(counting, { type: "enqueue_scheduled", at: AT });
    expect(early.changed).toBe(false);
    const due = applyBuildEvent(counting, { type: "enqueue_scheduled", at: "2026-01-01T00:01:00.000Z" });
    expect(due.build).toMatchObject({
      status: "pending",
      scheduledAt: null,
      queuedAt: "2026-01-01T00:01:00.000Z",
    });
  });

  it("clears scheduled_at whichever way a build leaves scheduled", () => {
    for (const type of ["unschedule", "cancel", "drop", "enqueue"] as const) {
      expect(applyBuildEvent(buildIn("scheduled"), { type, at: AT }).build.scheduledAt).toBeNull();
    }
    const played = applyBuildEvent(buildIn("scheduled"), { type: "play", at: AT, userId: 5 });
    expect(played.build).toMatchObject({ status: "pending", scheduledAt: null, userId: 5 });
  });

  it("sets queued_at only when a resource-group build gets its resource, not while it waits", () => {
    const grouped = buildIn("created", { resourceGroup: "production" });
    const waiting = applyBuildEvent(grouped, { type: "enqueue", at: AT }).build;
    expect(waiting).toMatchObject({ status: "waiting_for_resource", queuedAt: null });
    const later = "2026-01-01T00:00:20.000Z";
    const pending = applyBuildEvent(waiting, { type: "enqueue_waiting_for_resource", at: later }).build;
    expect(pending).toMatchObject({ status: "pending", queuedAt: later });
  });
});
