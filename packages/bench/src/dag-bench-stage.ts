// The `needs:` half of the pipeline-scale benchmark's DAG variant (issue 12). Seeds cannot say `needs`,
// so the benchmark's server child adds it through the store after loading the seed: for every seeded
// pending `job-k`, a `created` `test-k` in a later stage that needs just that job, so each finish makes one
// waiting job runnable and processing must find it without re-reading all the others.

import { newBuild } from "@buildsim/core";
import type { Seed, Store } from "@buildsim/server";

/** Inserts one created `needs: [job-k]` job per seeded build, in the seeded build's pipeline. */
export function insertDagStage(store: Store, seed: Seed, at: string): void {
  store.transaction(() => {
    for (const { build } of seed.builds) {
      const id = store.builds.nextId();
      store.builds.insert(
        newBuild({
          id,
          projectId: build.projectId,
          pipelineId: build.pipelineId,
          name: build.name.replace(/^job-/, "test-"),
          ref: build.ref,
          sha: build.sha,
          token: `ws-bench-dag-${id}`,
          createdAt: at,
          stage: "test",
          stageIdx: 1,
          commands: ["echo bench"],
          needs: [build.name],
        }),
      );
    }
  });
}
