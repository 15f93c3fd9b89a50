import { parseSeed } from "@buildsim/server";
import { describe, expect, it } from "vitest";
import { wsBenchRunnerToken, wsBenchSeed } from "./ws-bench-seed.js";

describe("the WebSocket benchmark seed", () => {
  it("is a valid seed with the runners and pending builds asked for, ten builds per pipeline", () => {
    const result = parseSeed(wsBenchSeed(3, 25));
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(result.seed.runners.map((r) => r.token)).toEqual([1, 2, 3].map(wsBenchRunnerToken));
    expect(result.seed.builds).toHaveLength(25);
    expect(result.seed.builds.every(({ build }) => build.status === "pending")).toBe(true);
    expect(result.seed.pipelines).toHaveLength(3);
    expect(new Set(result.seed.builds.map(({ build }) => build.token)).size).toBe(25);
  });

  it("holds a created later stage behind each pipeline's pending first half when asked", () => {
    const result = parseSeed(wsBenchSeed(1, 40, 20, true));
    if (!result.ok) throw new Error(result.problems.join("\n"));
    const builds = result.seed.builds.map(({ build }) => build);
    expect(result.seed.pipelines).toHaveLength(2);
    expect(builds.filter((b) => b.status === "pending" && b.stageIdx === 0)).toHaveLength(20);
    expect(
      builds.filter((b) => b.status === "created" && b.stageIdx === 1 && b.stage === "test"),
    ).toHaveLength(20);
  });
});
