import { describe, expect, it } from "vitest";
import type { Build, Pipeline } from "./domain.js";
import { newBuild } from "./new-build.js";
import { newPipeline } from "./new-pipeline.js";
import { computePipelineStatus, nextPipeline } from "./pipeline-status.js";
import type { BuildStatus } from "./status.js";

let nextId = 1;
function b(status: BuildStatus, extra: Partial<Build> = {}): Build {
  const id = nextId++;
  return newBuild({
    id,
    projectId: 1,
    pipelineId: 1,
    name: `job${id}`,
    ref: "main",
    sha: "c".repeat(40),
    token: "t",
    createdAt: "2026-01-01T00:00:00.000Z",
    status,
    ...extra,
  });
}

describe("pipeline status from its builds (GitLab §3.4)", () => {
  const cases: Array<[string, Build[], BuildStatus]> = [
    ["all skipped → skipped", [b("skipped"), b("skipped")], "skipped"],
    ["all success → success", [b("success"), b("success")], "success"],
    ["success and skipped → success", [b("success"), b("skipped")], "success"],
    ["all created → created", [b("created"), b("created")], "created"],
    ["success, skipped and canceled → canceled", [b("success"), b("skipped"), b("canceled")], "canceled"],
    ["created, skipped and pending → pending", [b("created"), b("skipped"), b("pending")], "pending"],
    ["anything running → running", [b("success"), b("running"), b("failed")], "running"],
    ["success and pending → running", [b("success"), b("pending")], "running"],
    ["success and created → running", [b("success"), b("created")], "running"],
    ["a failure → failed", [b("success"), b("failed")], "failed"],
    ["failed and canceled → failed", [b("failed"), b("canceled")], "failed"],
    ["an allowed failure counts as success", [b("success"), b("failed", { allowFailure: true })], "success"],
    ["a blocking manual job → manual", [b("success"), b("manual")], "manual"],
    ["a non-blocking manual job is ignored", [b("success"), b("manual", { allowFailure: true })], "success"],
    // Composite's order (lib/gitlab/ci/status/composite.rb): waiting_for_resource, then manual, then scheduled.
    ["success and a delayed job counting down → scheduled", [b("success"), b("scheduled")], "scheduled"],
    [
      "a job waiting for its resource → waiting_for_resource",
      [b("success"), b("waiting_for_resource")],
      "waiting_for_resource",
    ],
    [
      "waiting_for_resource comes before manual",
      [b("manual"), b("waiting_for_resource")],
      "waiting_for_resource",
    ],
    ["manual comes before scheduled", [b("scheduled"), b("manual")], "manual"],
    ["pending beside a waiting job → running", [b("pending"), b("waiting_for_resource")], "running"],
    [
      "a retried failure is history: its retry decides",
      [b("failed", { name: "rspec", retried: true }), b("success", { name: "rspec" })],
      "success",
    ],
  ];
  for (const [name, builds, expected] of cases) {
    it(name, () => expect(computePipelineStatus(builds)).toBe(expected));
  }
});

// GitLab's Ci::Pipeline state machine: `before_transition [:created, :pending] => :running` sets
// started_at; `before_transition any => [:success, :failed, :canceled]` sets finished_at and the
// duration (app/models/ci/pipeline.rb).
describe("the pipeline its builds make", () => {
  const pipeline = (extra: Partial<Pipeline> = {}): Pipeline =>
    newPipeline({
      id: 1,
      projectId: 1,
      sha: "c".repeat(40),
      ref: "main",
      status: "pending",
      createdAt: "2026-01-01T00:00:00.000Z",
      ...extra,
    });
  const AT = "2026-01-01T00:01:00.000Z";

  it("is null when the status stays, so nothing is saved", () => {
    expect(nextPipeline(pipeline(), [b("pending")], AT)).toBeNull();
  });

  it("starts when it first runs, keeping an earlier start", () => {
    expect(nextPipeline(pipeline(), [b("running")], AT)).toMatchObject({
      status: "running",
      startedAt: AT,
      finishedAt: null,
      updatedAt: AT,
    });
    const restarted = nextPipeline(
      pipeline({ status: "manual", startedAt: "2026-01-01T00:00:30.000Z" }),
      [b("running")],
      AT,
    );
    expect(restarted?.startedAt).toBe("2026-01-01T00:00:30.000Z");
  });

  it("finishes with the seconds since it started as its duration", () => {
    const running = pipeline({ status: "running", startedAt: "2026-01-01T00:00:15.000Z" });
    expect(nextPipeline(running, [b("success")], AT)).toMatchObject({
      status: "success",
      finishedAt: AT,
      duration: 45,
    });
  });

  it("reopens without a finish when a retry makes it pending again", () => {
    const done = pipeline({ status: "failed", startedAt: AT, finishedAt: AT, duration: 0 });
    expect(nextPipeline(done, [b("pending")], AT)).toMatchObject({
      status: "pending",
      finishedAt: null,
      duration: 0,
    });
  });
});
