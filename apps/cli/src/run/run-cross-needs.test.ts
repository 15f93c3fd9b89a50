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
    expect(statuses(first)).toEqual(["package:success"]);
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
});
