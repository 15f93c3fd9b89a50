import { describe, expect, it } from "vitest";
import type { MixRequest } from "./load-generator.js";
import { mixReads, mixWrites } from "./mix-requests.js";

/** The 68 single-build and single-job GETs name ids 1…`builds`. */
function expectSingleBuildsWithin(reads: MixRequest[], builds: number): void {
  const ids = reads.map((r) => /\/(?:builds|jobs)\/(\d+)$/.exec(r.path)?.[1]).filter((x) => x !== undefined);
  expect(ids.length).toBe(68);
  for (const id of ids) expect(Number(id)).toBeGreaterThanOrEqual(1);
  for (const id of ids) expect(Number(id)).toBeLessThanOrEqual(builds);
}

describe("the mixed benchmark's requests", () => {
  it("are 100 distinct GETs of existing builds and pipelines, lists and single entities of both APIs", () => {
    const reads = mixReads(100_000);
    expect(new Set(reads.map((r) => r.path)).size).toBe(100);
    expect(reads.every((r) => r.method === "GET")).toBe(true);
    expectSingleBuildsWithin(reads, 100_000);
    expect(reads.filter((r) => r.path.includes("/pipelines/")).length).toBe(6);
  });

  it("stay within a smaller database (the PostgreSQL run's 20,000 builds), still 100 distinct GETs", () => {
    const reads = mixReads(20_000);
    expect(new Set(reads.map((r) => r.path)).size).toBe(100);
    expectSingleBuildsWithin(reads, 20_000);
  });

  it("retry only jobs the populated database has finished (success, failed or canceled)", () => {
    const writes = mixWrites(100_000);
    expect(writes.length).toBeGreaterThan(100);
    for (const w of writes) {
      const id = Number(/jobs\/(\d+)\/retry$/.exec(w.path)?.[1]);
      expect(w.method).toBe("POST");
      // populate-bench-db: STATUSES[id % 6] = success, failed, canceled, success, running, pending
      expect(id % 6).toBeLessThanOrEqual(3);
    }
  });
});
