// Fills a store with one project and many builds (20 per pipeline, one commit per pipeline, all with a
// user), the data behind the API benchmark.

import { newBuild, newPipeline, newUser } from "@buildsim/core";
import type { Store } from "@buildsim/server";

/** The benchmark's admin token. */
export const BENCH_TOKEN = "bench-admin-token-0001";

const STATUSES = ["success", "failed", "canceled", "success", "running", "pending"] as const;

/** A trace of about 8 KiB: 100 log lines. */
const TRACE = Buffer.from(
  Array.from({ length: 100 }, (_, i) => `$ step ${i}: ${"output ".repeat(10)}\n`).join(""),
);

/**
 * Inserts `buildCount` builds in one transaction, and a trace for each of the first `traceCount` (a
 * no-op if the project already exists).
 */
export function populateBenchDb(store: Store, buildCount: number, traceCount = 0): void {
  if (store.projects.get(1)) return;
  const at = "2026-01-01T00:00:00.000Z";
  store.transaction(() => {
    store.users.insert(
      newUser({
        id: 1,
        username: "root",
        name: "Administrator",
        email: "admin@example.com",
        isAdmin: true,
        createdAt: at,
      }),
    );
    store.users.addToken(1, BENCH_TOKEN);
    store.projects.insert({
      id: 1,
      pathWithNamespace: "bench/app",
      name: "app",
      description: null,
      visibility: "private",
      publicBuilds: true,
      buildsEnabled: true,
      defaultBranch: "master",
      runnersToken: "bench-runners-token",
      members: [],
      createdAt: at,
    });
    const perPipeline = 20;
    for (let p = 1; p <= Math.ceil(buildCount / perPipeline); p++) {
      const sha = p.toString(16).padStart(40, "0");
      store.commits.insert({
        projectId: 1,
        sha,
        message: `Commit number ${p}\n\nWith a body.`,
        authorName: "Administrator",
        authorEmail: "admin@example.com",
        authoredDate: at,
        committerName: "Administrator",
        committerEmail: "admin@example.com",
        committedDate: "2016-01-01T01:00:00.000+01:00",
        parentIds: [],
      });
      store.pipelines.insert(
        newPipeline({
          id: p,
          projectId: 1,
          sha,
          ref: "master",
          status: "success",
          userId: 1,
          createdAt: at,
          startedAt: at,
          finishedAt: at,
          duration: 1,
        }),
      );
      for (let i = 0; i < perPipeline; i++) {
        const id = (p - 1) * perPipeline + i + 1;
        if (id > buildCount) break;
        store.builds.insert(
          newBuild({
            id,
            projectId: 1,
            pipelineId: p,
            name: `job-${i}`,
            ref: "master",
            sha,
            token: `bench-build-${id}`,
            createdAt: at,
            status: STATUSES[id % STATUSES.length]!,
            userId: 1,
            startedAt: at,
            finishedAt: "2026-01-01T00:01:00.000Z",
            coverage: id % 3 === 0 ? 87.5 : null,
          }),
        );
        if (id <= traceCount) store.traces.append(id, 0, TRACE, at);
      }
    }
  });
}
