// Who gets a resource group's resource next, per process mode (https://docs.gitlab.com/ci/resource_groups/#process-modes).

import { describe, expect, it } from "vitest";
import { inResourceOrder, nextResourceHolder } from "./resource-groups.js";

const waiting = [
  { id: 7, pipelineId: 3, status: "waiting_for_resource" as const },
  { id: 5, pipelineId: 2, status: "waiting_for_resource" as const },
  { id: 9, pipelineId: 1, status: "waiting_for_resource" as const },
];

describe("resource group process modes", () => {
  it("gives nobody the resource while a job holds it", () => {
    expect(
      nextResourceHolder([...waiting, { id: 2, pipelineId: 1, status: "running" }], "unordered"),
    ).toBeNull();
  });

  it("takes the job created first when unordered, else orders by pipeline", () => {
    expect(nextResourceHolder(waiting, "unordered")).toBe(5);
    expect(nextResourceHolder(waiting, "oldest_first")).toBe(9);
    expect(nextResourceHolder(waiting, "newest_first")).toBe(7);
    expect(inResourceOrder(waiting, "oldest_first").map((b) => b.id)).toEqual([9, 5, 7]);
  });

  it("gives nobody the resource when nobody waits", () => {
    expect(nextResourceHolder([], "unordered")).toBeNull();
  });
});
