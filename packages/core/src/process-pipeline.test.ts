import { describe, expect, it } from "vitest";
import { applyBuildEvent } from "./apply-build-event.js";
import type { Build } from "./domain.js";
import { newBuild } from "./new-build.js";
import { processPipeline } from "./process-pipeline.js";

const AT = "2026-01-01T00:01:00.000Z";
let nextId = 1;
function job(name: string, stageIdx: number, extra: Partial<Build> = {}): Build {
  return newBuild({
    id: nextId++,
    projectId: 1,
    pipelineId: 1,
    name,
    ref: "main",
    sha: "d".repeat(40),
    token: "t",
    createdAt: "2026-01-01T00:00:00.000Z",
    stageIdx,
    ...extra,
  });
}

/** Fires the decisions through the machine, like the server does, and returns name → status. */
function run(builds: Build[]): Record<string, string> {
  const byId = new Map(builds.map((b) => [b.id, b]));
  for (const d of processPipeline(builds, AT)) {
    const b = byId.get(d.buildId)!;
    byId.set(b.id, applyBuildEvent(b, d.event).build);
  }
  return Object.fromEntries([...byId.values()].filter((b) => !b.retried).map((b) => [b.name, b.status]));
}

describe("processing created builds as earlier stages finish", () => {
  it("enqueues only the first stage of a new pipeline", () => {
    expect(run([job("build", 0), job("test", 1), job("deploy", 2)])).toEqual({
      build: "pending",
      test: "created",
      deploy: "created",
    });
  });

  it("enqueues the next stage when the previous one succeeded", () => {
    expect(run([job("build", 0, { status: "success" }), job("test", 1)])).toMatchObject({ test: "pending" });
  });

  it("skips on_success builds after a failure and cascades the skip", () => {
    expect(
      run([
        job("build", 0, { status: "failed" }),
        job("test", 1),
        job("deploy", 2),
        job("cleanup", 2, { when: "always" }),
      ]),
    ).toEqual({ build: "failed", test: "skipped", deploy: "skipped", cleanup: "pending" });
  });

  it("runs on_failure builds only after a failure", () => {
    expect(
      run([job("build", 0, { status: "failed" }), job("report", 1, { when: "on_failure" })]),
    ).toMatchObject({
      report: "pending",
    });
    expect(
      run([job("build", 0, { status: "success" }), job("report", 1, { when: "on_failure" })]),
    ).toMatchObject({
      report: "skipped",
    });
  });

  it("treats an allowed failure as success", () => {
    expect(run([job("lint", 0, { status: "failed", allowFailure: true }), job("test", 1)])).toMatchObject({
      test: "pending",
    });
  });

  it("makes manual builds wait as manual, and a blocking manual job holds later stages", () => {
    expect(
      run([job("build", 0, { status: "success" }), job("deploy", 1, { when: "manual" }), job("notify", 2)]),
    ).toEqual({
      build: "success",
      deploy: "manual",
      notify: "created",
    });
    expect(
      run([
        job("build", 0, { status: "success" }),
        job("deploy", 1, { when: "manual", allowFailure: true }),
        job("notify", 2),
      ]),
    ).toMatchObject({ deploy: "manual", notify: "pending" });
  });

  it("waits while an earlier stage is still running", () => {
    expect(run([job("build", 0, { status: "running" }), job("test", 1)])).toMatchObject({ test: "created" });
  });

  it("follows needs instead of stages", () => {
    expect(
      run([
        job("a", 0, { status: "success" }),
        job("b", 0, { status: "running" }),
        job("after-a", 1, { needs: ["a"] }),
        job("after-b", 1, { needs: ["b"] }),
        job("right-away", 2, { needs: [] }),
      ]),
    ).toMatchObject({ "after-a": "pending", "after-b": "created", "right-away": "pending" });
  });

  // Ci::ProcessBuildService#current_valid_statuses_for_build: a DAG build (one with `needs`) that is
  // on_success, manual or delayed runs only after `success`; a stage build also runs after `skipped`.
  // https://gitlab.com/gitlab-org/gitlab/-/blob/master/app/services/ci/process_build_service.rb
  it("skips a build whose needs were skipped, where a build after a skipped stage still runs", () => {
    expect(
      run([
        job("fail", 0, { status: "failed" }),
        job("mid", 1, { status: "skipped" }),
        job("after-mid", 2, { needs: ["mid"] }),
        job("manual-after-mid", 2, { needs: ["mid"], when: "manual" }),
        job("always-after-mid", 2, { needs: ["mid"], when: "always" }),
        job("quiet", 3, { status: "skipped" }),
        job("after-quiet-stage", 4),
      ]),
    ).toMatchObject({
      "after-mid": "skipped",
      "manual-after-mid": "skipped",
      "always-after-mid": "pending",
    });
    expect(run([job("quiet", 0, { status: "skipped" }), job("after-quiet-stage", 1)])).toMatchObject({
      "after-quiet-stage": "pending",
    });
  });

  it("ignores retried builds: the latest of each name decides", () => {
    expect(
      run([
        job("build", 0, { status: "failed", retried: true }),
        job("build", 0, { status: "success" }),
        job("test", 1),
      ]),
    ).toMatchObject({ test: "pending" });
  });

  // Ci::ProcessBuildService: `schedulable?` builds are scheduled, and a scheduled job holds later stages
  // (https://docs.gitlab.com/ci/jobs/job_control/#run-a-job-after-a-delay).
  it("schedules a delayed build instead of queueing it, and later stages wait for its countdown", () => {
    expect(
      run([
        job("build", 0, { status: "success" }),
        job("deploy", 1, { when: "delayed", startInS: 60 }),
        job("notify", 2),
      ]),
    ).toEqual({ build: "success", deploy: "scheduled", notify: "created" });
  });

  it("sends a build with a resource group to wait for its resource", () => {
    expect(run([job("deploy", 0, { resourceGroup: "production" })])).toEqual({
      deploy: "waiting_for_resource",
    });
  });
});
