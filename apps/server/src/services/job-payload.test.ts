import { type Build, newBuild, type Runner } from "@buildsim/core";
import { describe, expect, it } from "vitest";
import { runnerCanRun } from "./claim-build.js";
import { dependenciesOf } from "./job-payload.js";

const at = "2026-01-01T00:00:00.000Z";
const build = (id: number, name: string, stageIdx: number, extra: Partial<Build> = {}): Build =>
  newBuild({
    id,
    projectId: 1,
    pipelineId: 1,
    name,
    ref: "main",
    sha: "a",
    token: `t${id}`,
    createdAt: at,
    stageIdx,
    ...extra,
  });

describe("dependenciesOf", () => {
  const pipeline = [
    build(1, "compile", 0, { retried: true }),
    build(2, "lint", 0),
    build(3, "compile", 0),
    build(4, "test", 1),
    build(5, "deploy", 2),
  ];

  it("takes the latest build of each name in earlier stages", () => {
    expect(dependenciesOf(pipeline[4]!, pipeline).map((b) => b.id)).toEqual([2, 3, 4]);
  });

  it("narrows to `dependencies:` names", () => {
    const deploy = { ...pipeline[4]!, dependencies: ["compile"] };
    expect(dependenciesOf(deploy, pipeline).map((b) => b.id)).toEqual([3]);
    expect(dependenciesOf({ ...deploy, dependencies: [] }, pipeline)).toEqual([]);
  });

  it("uses `needs:` instead of stage order", () => {
    const deploy = { ...pipeline[4]!, needs: ["lint"] };
    expect(dependenciesOf(deploy, pipeline).map((b) => b.id)).toEqual([2]);
  });
});

describe("runnerCanRun", () => {
  const runner: Runner = {
    id: 1,
    token: "r",
    description: "",
    active: true,
    isShared: true,
    name: null,
    tagList: ["docker", "linux"],
    runUntagged: false,
    locked: false,
    version: null,
    revision: null,
    platform: null,
    architecture: null,
    contactedAt: null,
    projectIds: [],
  };
  it.each([
    ["a build whose tags it all has", runner, ["docker"], 1, true],
    ["a build with a tag it lacks", runner, ["docker", "gpu"], 1, false],
    ["an untagged build without run_untagged", runner, [], 1, false],
    ["an untagged build with run_untagged", { ...runner, runUntagged: true }, [], 1, true],
    ["nothing while paused", { ...runner, active: false }, ["docker"], 1, false],
    [
      "another project's build as a specific runner",
      { ...runner, isShared: false, projectIds: [2] },
      ["docker"],
      1,
      false,
    ],
    [
      "its project's build as a specific runner",
      { ...runner, isShared: false, projectIds: [1] },
      ["docker"],
      1,
      true,
    ],
  ])("runs %s: %s", (_name, r, tagList, projectId, expected) => {
    expect(runnerCanRun(r as Runner, { tagList: tagList as string[], projectId: projectId as number })).toBe(
      expected,
    );
  });
});
