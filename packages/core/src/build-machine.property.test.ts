import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { transition } from "xstate";
import { applyBuildEvent, machineContextOf } from "./apply-build-event.js";
import { BUILD_EVENT_TYPES, type BuildEvent } from "./build-events.js";
import { buildMachine } from "./build-machine.js";
import type { Build } from "./domain.js";
import { newBuild } from "./new-build.js";
import { BUILD_STATUSES, isCompletedStatus, isFinishedStatus } from "./status.js";

const OUTCOMES = ["success", "failed", "canceled", "skipped", "manual"] as const;
const START = Date.parse("2026-01-01T00:00:00.000Z");

/** A random sequence of events, each a random number of ms after the last. */
const eventSequence = fc.array(
  fc.record({ type: fc.constantFrom(...BUILD_EVENT_TYPES), gapMs: fc.integer({ min: 0, max: 5000 }) }),
  { maxLength: 40 },
);

function toEvents(seq: { type: BuildEvent["type"]; gapMs: number }[]): BuildEvent[] {
  let t = START;
  return seq.map(({ type, gapMs }) => {
    t += gapMs;
    const at = new Date(t).toISOString();
    if (type === "run") return { type, at, runnerId: 1 };
    if (type === "play") return { type, at, userId: 1 };
    // Trigger-job events: never accepted by a build with a script, whatever the outcome.
    if (type === "follow_downstream") return { type, at, status: OUTCOMES[gapMs % OUTCOMES.length]! };
    return { type, at };
  });
}

type When = "on_success" | "manual" | "delayed";
const fresh = (when: When, resourceGroup: string | null) =>
  newBuild({
    id: 1,
    projectId: 1,
    pipelineId: 1,
    name: "job",
    ref: "main",
    sha: "b".repeat(40),
    token: "t",
    createdAt: new Date(START).toISOString(),
    when,
    startInS: when === "delayed" ? 10 : null,
    resourceGroup,
  });

/** A property over a fresh build of each kind (`when`, with or without a resource group) and random events. */
const randomRuns = (check: (start: Build, events: BuildEvent[]) => void) =>
  fc.property(
    eventSequence,
    fc.constantFrom<When>("on_success", "manual", "delayed"),
    fc.constantFrom(null, "production"),
    (seq, when, resourceGroup) => check(fresh(when, resourceGroup), toEvents(seq)),
  );

describe("the build machine under random event sequences", () => {
  it("keeps every invariant GitLab's statuses imply", () => {
    fc.assert(
      randomRuns((start, events) => {
        let build = start;
        let completedOnce = false;
        for (const event of events) {
          const before = build;
          const result = applyBuildEvent(build, event);
          build = result.build;
          // Statuses stay legal.
          expect(BUILD_STATUSES).toContain(build.status);
          // finished_at is set exactly when the build is finished.
          expect(build.finishedAt !== null).toBe(isFinishedStatus(build.status));
          // started_at never comes after finished_at.
          if (build.startedAt && build.finishedAt) expect(build.startedAt <= build.finishedAt).toBe(true);
          // scheduled_at is set exactly while the build is scheduled.
          expect(build.scheduledAt !== null).toBe(build.status === "scheduled");
          // A pending build was queued; a build waiting for its resource is never queued without it.
          if (build.status === "pending") expect(build.queuedAt).not.toBeNull();
          // Only a build with a resource group ever waits for one.
          if (build.status === "waiting_for_resource") expect(start.resourceGroup).not.toBeNull();
          // A running build has been started.
          if (build.status === "running") expect(build.startedAt).not.toBeNull();
          // A finished build never becomes anything else (only a retry, a new build, runs it again).
          if (isFinishedStatus(before.status)) expect(build).toBe(before);
          // Skipped may be re-opened (process/enqueue), but never straight back to running.
          if (completedOnce && isFinishedStatus(before.status)) expect(result.changed).toBe(false);
          if (isCompletedStatus(build.status)) completedOnce = true;
          // A no-op changes nothing and asks for nothing.
          if (!result.changed) {
            expect(result.build).toBe(before);
            expect(result.actions).toEqual([]);
          }
        }
      }),
      { numRuns: 1000 },
    );
    // A thousand random sequences take well under a second alone; leave room for a loaded CI machine.
  }, 60_000);

  const RUN_FIELDS = [
    "queuedAt",
    "scheduledAt",
    "startedAt",
    "finishedAt",
    "failureReason",
    "exitCode",
    "runnerId",
    "userId",
  ] as const;

  it("decides every event as xstate's own pure transition() does (applyBuildEvent reuses one scope)", () => {
    /** The reference: a fresh actor scope per call, as `transition()` makes. */
    const reference = (build: Build, event: BuildEvent) => {
      const snapshot = buildMachine.resolveState({ value: build.status, context: machineContextOf(build) });
      const [next, actions] = transition(buildMachine, snapshot, event);
      return { status: next.value, context: next.context, actions: actions.map((a) => a.type) };
    };
    fc.assert(
      randomRuns((start, events) => {
        let build = start;
        for (const event of events) {
          const expected = reference(build, event);
          const result = applyBuildEvent(build, event);
          expect(result.build.status).toBe(expected.status);
          if (!result.changed) {
            expect(result.actions).toEqual([]);
            continue;
          }
          const wanted = expected.actions.filter((t) =>
            ["notifyRunnerCancel", "processPipeline", "updatePipelineStatus"].includes(t),
          );
          expect(result.actions.map((a) => a.type)).toEqual(wanted);
          // What the machine decides besides the status: the build's run fields, read off either side.
          const run = (x: Pick<Build, (typeof RUN_FIELDS)[number]>) =>
            Object.fromEntries(RUN_FIELDS.map((k) => [k, x[k]]));
          expect(run(result.build)).toEqual(run(expected.context));
          build = result.build;
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
