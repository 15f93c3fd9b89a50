import { describe, expect, it } from "vitest";
import { newPipeline } from "./new-pipeline.js";

const at = "2026-01-01T00:00:00.000Z";

describe("newPipeline", () => {
  it("starts a created push pipeline of a branch, by nobody, with nothing run and no upstream", () => {
    expect(newPipeline({ id: 4, projectId: 2, sha: "a".repeat(40), ref: "main", createdAt: at })).toEqual({
      id: 4,
      projectId: 2,
      sha: "a".repeat(40),
      ref: "main",
      tag: false,
      beforeSha: null,
      status: "created",
      source: "push",
      userId: null,
      createdAt: at,
      updatedAt: at,
      startedAt: null,
      finishedAt: null,
      duration: null,
      coverage: null,
      upstreamBridgeId: null,
      upstreamPipelineId: null,
    });
  });

  it("keeps every field it is given over the defaults", () => {
    const later = "2026-01-01T00:01:00.000Z";
    const pipeline = newPipeline({
      id: 5,
      projectId: 2,
      sha: "b".repeat(40),
      ref: "v1.0",
      createdAt: at,
      tag: true,
      source: "external",
      userId: 7,
      updatedAt: later,
      status: "success",
      upstreamBridgeId: 9,
      upstreamPipelineId: 3,
    });
    expect(pipeline).toMatchObject({
      tag: true,
      source: "external",
      userId: 7,
      updatedAt: later,
      status: "success",
      upstreamBridgeId: 9,
      upstreamPipelineId: 3,
    });
  });
});
