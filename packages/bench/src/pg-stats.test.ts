// Tests of the pg_stat_statements arithmetic behind the round trips per claim.

import { describe, expect, it } from "vitest";
import { diffStatementCalls, parseStatementCalls, totalCalls } from "./pg-stats.js";

describe("pg_stat_statements counting", () => {
  it("parses psql's tab-separated rows and sums texts that normalize alike", () => {
    const calls = parseStatementCalls("3\tBEGIN ISOLATION LEVEL SERIALIZABLE\n2\tCOMMIT\n4\tCOMMIT\n\n");
    expect([...calls]).toEqual([
      ["BEGIN ISOLATION LEVEL SERIALIZABLE", 3],
      ["COMMIT", 6],
    ]);
  });

  it("rejects a line that is not a count and a text", () => {
    expect(() => parseStatementCalls("COMMIT")).toThrow('not a pg_stat_statements row: "COMMIT"');
  });

  it("counts only the calls made between two readings, largest first", () => {
    const before = parseStatementCalls("10\tBEGIN\n10\tCOMMIT\n5\tSELECT $1");
    const after = parseStatementCalls(
      "30\tBEGIN\n30\tCOMMIT\n5\tSELECT $1\n45\tUPDATE builds SET status = $1",
    );
    const diff = diffStatementCalls(before, after);
    expect(diff).toEqual([
      ["UPDATE builds SET status = $1", 45],
      ["BEGIN", 20],
      ["COMMIT", 20],
    ]);
    expect(totalCalls(diff)).toBe(85);
  });
});
