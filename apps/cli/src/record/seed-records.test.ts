// The mapping from GitLab's v4 entities to seed records, for what a real GitLab answers and a buildsim
// never does (statuses and failure reasons the seed has no name for, coverage as text, group runners).

import { describe, expect, it } from "vitest";
import { parseByteSize } from "./record-command.js";
import { jobRecord, pipelineRecord, roleOf, runnerRecord } from "./seed-records.js";

describe("seed records from GitLab's entities", () => {
  // Entities::Ci::Job shows `queued_duration` (seconds, a float), not `queued_at`.
  it("turns a job's queued_duration back into queued_at, to the millisecond", () => {
    const job = jobRecord({
      id: 5,
      pipeline: { id: 2, project_id: 1 },
      name: "rspec",
      status: "success",
      started_at: "2026-01-01T10:00:10.000Z",
      queued_duration: 2.345,
    });
    expect(job.queued_at).toBe("2026-01-01T10:00:07.655Z");
  });

  // GitLab has statuses (`preparing`, `waiting_for_callback`) and failure reasons the seed does not name.
  it("reads a status the seed has no name for as pending and drops an unknown failure reason", () => {
    const job = jobRecord({
      id: 5,
      pipeline: { id: 2 },
      status: "preparing",
      failure_reason: "some_new_reason",
    });
    expect(job).toMatchObject({ status: "pending" });
    expect(job).not.toHaveProperty("failure_reason");
    expect(jobRecord({ id: 6, pipeline: { id: 2 }, status: "manual" }).when).toBe("manual");
  });

  // Entities::Ci::Pipeline renders coverage as text with two decimals ("87.50").
  it("reads a pipeline's coverage text as a number and keeps its iid and times", () => {
    expect(
      pipelineRecord({
        id: 9,
        iid: 4,
        project_id: 1,
        coverage: "87.50",
        started_at: "2026-01-01T10:00:00.000Z",
        user: { id: 3 },
      }),
    ).toEqual({ id: 9, iid: 4, project: 1, coverage: 87.5, started_at: "2026-01-01T10:00:00.000Z", user: 3 });
  });

  it("makes a project runner serve the job's project and a shared one every project", () => {
    expect(runnerRecord({ id: 1, is_shared: false, paused: true }, 7)).toEqual({
      id: 1,
      active: false,
      shared: false,
      projects: [7],
    });
    expect(runnerRecord({ id: 2, is_shared: true, active: true }, 7)).toEqual({
      id: 2,
      active: true,
      shared: true,
    });
  });

  // GitLab's access levels: 10 guest, 20 reporter, 30 developer, 40 maintainer, 50 owner (doc/api/members.md).
  it("maps GitLab's access levels to the seed's roles", () => {
    expect([10, 20, 30, 40, 50, 0].map(roleOf)).toEqual([
      "guest",
      "reporter",
      "developer",
      "master",
      "owner",
      undefined,
    ]);
  });

  it("reads --max-bytes as bytes, KiB or MiB and refuses anything else", () => {
    expect(["100", "512K", "5M", "1.5M", "-1", "5G"].map(parseByteSize)).toEqual([
      100,
      512 * 1024,
      5 * 1024 * 1024,
      null,
      null,
      null,
    ]);
  });
});
