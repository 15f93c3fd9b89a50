// `buildsim run --db postgres://…`: the run's records live in PostgreSQL, not in an SQLite file under
// --data, and a later run on the same database continues from them (pipeline ids go on, the earlier
// pipeline stays listed), as a later run on the same --data does with SQLite. Runs only in the suite's
// `postgres` project (vitest.config.ts), where run-pipeline.ts passes a fresh schema with --db.

import { existsSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { onPostgres } from "../../../../scripts/test-database.mjs";
import { makeRepo, removeRunRepos, runPipeline, statuses } from "./test-support/run-pipeline.js";

afterEach(removeRunRepos);

describe("buildsim run on PostgreSQL", () => {
  it("keeps the pipelines in the database given with --db, and a second run continues from them", async () => {
    expect(onPostgres()).toBe(true);
    const repo = makeRepo({ ".gitlab-ci.yml": "build:\n  script: [echo built]\n" });
    const first = await runPipeline({ repo });
    expect(first.code).toBe(0);
    expect(existsSync(path.join(repo, ".buildsim", "buildsim.db"))).toBe(false);
    const second = await runPipeline({ repo });
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/pipeline #2 success/);
    expect(second.pipelines.map((p) => p.id)).toEqual([1, 2]);
    expect(statuses(second)).toEqual(["build:success", "build:success"]);
    expect(second.trace("build")).toContain("built\n");
  });
});
