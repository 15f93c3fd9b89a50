// The data behind the WebSocket benchmarks, as seed JSON: one project, one shared runner per claimer,
// and `pendingBuilds` pending builds spread over pipelines of `perPipeline` (10 by default; the
// pipeline-scale benchmark puts them all in one). With `laterStage`, the second half of each pipeline's
// builds are a later stage, `created` until the first half has finished.

/** Admin token of the benchmark seed. */
export const WS_BENCH_ADMIN_TOKEN = "ws-bench-admin-0001";

/** Token of runner `i` (1-based). */
export const wsBenchRunnerToken = (i: number) => `ws-bench-runner-${String(i).padStart(4, "0")}`;

/** Seed JSON with `runners` shared runners and `pendingBuilds` builds, pending (or half of them created). */
export function wsBenchSeed(
  runners: number,
  pendingBuilds: number,
  perPipeline = 10,
  laterStage = false,
): string {
  const sha = "b".repeat(40);
  const pipelines = Math.max(1, Math.ceil(pendingBuilds / perPipeline));
  return JSON.stringify({
    users: [{ id: 1, username: "root", admin: true, tokens: [WS_BENCH_ADMIN_TOKEN] }],
    projects: [{ id: 1, path: "bench/ws" }],
    commits: [{ project: 1, sha, message: "bench" }],
    runners: Array.from({ length: runners }, (_, i) => ({ id: i + 1, token: wsBenchRunnerToken(i + 1) })),
    pipelines: Array.from({ length: pipelines }, (_, i) => ({ id: i + 1, project: 1, sha, ref: "main" })),
    builds: Array.from({ length: pendingBuilds }, (_, i) => {
      const later = laterStage && i % perPipeline >= perPipeline / 2;
      return {
        id: i + 1,
        pipeline: Math.floor(i / perPipeline) + 1,
        name: `job-${i % perPipeline}`,
        script: ["echo bench"],
        ...(later
          ? { status: "created", stage: "test", stage_idx: 1 }
          : { status: "pending", stage: "build", stage_idx: 0, queued_at: "2026-01-01T00:00:00.000Z" }),
      };
    }),
  });
}
