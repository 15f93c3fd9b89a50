import { describe, expect, it } from "vitest";
import type { Build } from "./domain.js";
import { newBuild } from "./new-build.js";
import { reopenAfterRetry, retryBuild, shouldAutoRetry } from "./retry-build.js";

const AT = "2026-01-02T00:00:00.000Z";
const original = newBuild({
  id: 5,
  projectId: 1,
  pipelineId: 2,
  name: "rspec",
  ref: "main",
  sha: "e".repeat(40),
  token: "old",
  createdAt: "2026-01-01T00:00:00.000Z",
  stage: "test",
  stageIdx: 1,
  status: "failed",
  commands: ["rake spec"],
  tagList: ["docker"],
  allowFailure: true,
  queuedAt: "2026-01-01T00:00:01.000Z",
  startedAt: "2026-01-01T00:00:02.000Z",
  finishedAt: "2026-01-01T00:00:09.000Z",
  runnerId: 3,
  coverage: 97.5,
  failureReason: "script_failure",
  exitCode: 1,
  artifactsFile: { filename: "artifacts.zip", size: 10 },
  trace: { bytes: 100, updatedAt: "2026-01-01T00:00:09.000Z" },
  userId: 1,
});

describe("retrying a build", () => {
  it("creates a new pending build that copies the job and none of the run", () => {
    const copy = retryBuild(original, { id: 99, token: "new", userId: 7, at: AT });
    expect(copy).toMatchObject({
      id: 99,
      token: "new",
      status: "pending",
      userId: 7,
      createdAt: AT,
      queuedAt: AT,
      name: "rspec",
      stage: "test",
      stageIdx: 1,
      commands: ["rake spec"],
      tagList: ["docker"],
      allowFailure: true,
      pipelineId: 2,
      startedAt: null,
      finishedAt: null,
      runnerId: null,
      coverage: null,
      failureReason: null,
      exitCode: null,
      artifactsFile: null,
      retried: false,
      trace: { bytes: 0, updatedAt: null },
    });
  });

  it("re-opens skipped builds in later stages and builds that need it", () => {
    const later = (id: number, stageIdx: number, status: Build["status"], needs: string[] | null = null) =>
      newBuild({ ...original, id, name: `j${id}`, stageIdx, status, needs });
    const builds = [
      original,
      later(10, 2, "skipped"),
      later(11, 2, "success"),
      later(12, 0, "skipped"),
      later(13, 0, "skipped", ["rspec"]),
    ];
    expect(reopenAfterRetry(builds, original, AT).map((d) => d.buildId)).toEqual([10, 13]);
  });
});

describe("automatic retry (retry: in the CI config)", () => {
  const failed = (extra: Partial<Build>) => ({ ...original, allowFailure: false, ...extra });
  it("retries up to max times", () => {
    expect(shouldAutoRetry(failed({ retryMax: 2 }), 1)).toBe(true);
    expect(shouldAutoRetry(failed({ retryMax: 2 }), 2)).toBe(true);
    expect(shouldAutoRetry(failed({ retryMax: 2 }), 3)).toBe(false);
    expect(shouldAutoRetry(failed({ retryMax: 0 }), 1)).toBe(false);
  });
  it("retries only on the listed failure reasons", () => {
    expect(shouldAutoRetry(failed({ retryMax: 1, retryWhen: ["runner_system_failure"] }), 1)).toBe(false);
    expect(shouldAutoRetry(failed({ retryMax: 1, retryWhen: ["script_failure"] }), 1)).toBe(true);
    expect(shouldAutoRetry(failed({ retryMax: 1, retryWhen: ["always"] }), 1)).toBe(true);
  });
  it("never retries a build that did not fail", () => {
    expect(shouldAutoRetry(failed({ retryMax: 1, status: "success" }), 1)).toBe(false);
  });
});
