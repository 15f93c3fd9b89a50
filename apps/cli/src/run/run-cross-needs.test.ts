// `needs:project` and `needs:pipeline` run end to end: a job downloads the artifacts of a job in another
// pipeline, of another local project or of the same one, through two `buildsim run`s sharing a data dir.
// https://docs.gitlab.com/ci/yaml/#needsproject and https://docs.gitlab.com/ci/yaml/#needspipelinejob

import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeRepo, removeRunRepos, runPipeline as run, statuses } from "./test-support/run-pipeline.js";

afterEach(removeRunRepos);

const LIBRARY = `
package:
  stage: build
  script: [mkdir -p dist, 'echo "lib from $CI_PIPELINE_ID" > dist/lib.txt']
  artifacts: { paths: [dist/] }
reuse:
  stage: test
  rules: [{ if: $FIRST }]
  needs: [{ pipeline: $FIRST, job: package }]
  script: ['echo "reused: $(cat dist/lib.txt)"']
`;

describe("needs across pipelines", () => {
  it("downloads another local project's artifacts from its latest successful pipeline for the ref", async () => {
    const library = makeRepo({ ".gitlab-ci.yml": LIBRARY });
    const first = await run({ repo: library });
    // What the run printed, should it fail (it did once on PostgreSQL under a loaded CI run).
    expect(statuses(first), first.out).toEqual(["package:success"]);
    const data = path.join(library, ".buildsim");
    const app = await run(
      {
        ".gitlab-ci.yml": `
use:
  needs: [{ project: local/${path.basename(library)}, job: package, ref: main }]
  script: ['echo "got: $(cat dist/lib.txt)"']
`,
      },
      ["--data", data],
    );
    expect(app.code).toBe(0);
    expect(app.trace("use")).toContain("got: lib from 1\n");
  });

  it("downloads the artifacts of a job of a pipeline named by needs:pipeline", async () => {
    const library = makeRepo({ ".gitlab-ci.yml": LIBRARY });
    await run({ repo: library });
    const second = await run({ repo: library }, ["--var", "FIRST=1"]);
    expect(second.code).toBe(0);
    // Pipeline 2's own package job ran too; `reuse` took pipeline 1's.
    expect(second.trace("reuse")).toContain("reused: lib from 1\n");
  });

  it("fails a job whose needs:project or needs:pipeline job does not exist with missing_dependency_failure", async () => {
    // Ci::BuildDependencies#valid_cross_pipeline?: every cross dependency must resolve to a latest
    // successful job, else Ci::RegisterJobService drops the build with missing_dependency_failure.
    const r = await run({
      ".gitlab-ci.yml": `
gone:
  needs: [{ project: nowhere/missing, job: package, ref: main }]
  script: [echo ran]
later:
  needs: [{ pipeline: "999", job: package }]
  script: [echo ran]
fine:
  script: [echo ran]
`,
    });
    expect(r.code).toBe(1);
    expect(statuses(r)).toEqual(["gone:failed", "later:failed", "fine:success"]);
    expect(r.builds.map((b) => b.failureReason)).toEqual([
      "missing_dependency_failure",
      "missing_dependency_failure",
      null,
    ]);
    expect(r.trace("gone")).not.toContain("ran");
  });
});
