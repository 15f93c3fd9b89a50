import { type Build, newBuild } from "@buildsim/core";
import { describe, expect, it } from "vitest";
import { cacheableUntilMs } from "./cacheable-until.js";

const NOW = "2026-01-01T00:00:00.000Z";
const build = (extra: Partial<Build>) =>
  newBuild({
    id: 1,
    projectId: 1,
    pipelineId: 1,
    name: "b",
    ref: "main",
    sha: "a".repeat(40),
    token: "t",
    createdAt: NOW,
    ...extra,
  });

describe("how long a rendered page of builds stays exact", () => {
  it("lasts until the first unexpired artifacts expire", () => {
    const builds = [
      build({
        status: "success",
        artifactsFile: { filename: "a.zip", size: 1 },
        artifactsExpireAt: "2026-01-03T00:00:00.000Z",
      }),
      build({
        status: "success",
        artifactsFile: { filename: "a.zip", size: 1 },
        artifactsExpireAt: "2026-01-02T00:00:00.000Z",
      }),
      build({
        status: "success",
        artifactsFile: { filename: "a.zip", size: 1 },
        artifactsExpireAt: "2025-01-01T00:00:00.000Z",
      }),
    ];
    expect(cacheableUntilMs(builds, NOW, { showsDurations: false })).toBe(
      Date.parse("2026-01-02T00:00:00.000Z"),
    );
  });

  it("lasts until the next write when nothing changes with time", () => {
    expect(cacheableUntilMs([build({ status: "running" })], NOW, { showsDurations: false })).toBeUndefined();
  });

  it("is already over when the entity shows a running or pending job's growing duration", () => {
    expect(cacheableUntilMs([build({ status: "running" })], NOW, { showsDurations: true })).toBe(
      Date.parse(NOW),
    );
    expect(cacheableUntilMs([build({ status: "success" })], NOW, { showsDurations: true })).toBeUndefined();
  });
});
