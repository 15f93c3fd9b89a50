// Seeds for the end-to-end tests: one project, one runner and the builds a test runs.

/** The admin user's token and the runner's token in every e2e seed. */
export const E2E_TOKENS = { admin: "e2e-admin-token", runner: "e2e-runner-token" } as const;

/** A seed whose pipeline 1 holds one pending build `job` (id 1) running `script` (shell lines). */
export function e2eSeed(script: string[], timeoutS = 3600): string {
  return JSON.stringify({
    users: [{ id: 1, username: "root", admin: true, tokens: [E2E_TOKENS.admin] }],
    projects: [{ id: 1, path: "e2e/app" }],
    commits: [{ project: 1, sha: "c".repeat(40), message: "e2e" }],
    runners: [{ id: 1, token: E2E_TOKENS.runner, description: "e2e runner" }],
    pipelines: [{ id: 1, project: 1, sha: "c".repeat(40), ref: "main" }],
    builds: [
      {
        id: 1,
        pipeline: 1,
        name: "job",
        status: "pending",
        script,
        timeout_s: timeoutS,
        queued_at: "2026-01-01T00:00:00.000Z",
      },
    ],
  });
}

/**
 * A two-stage pipeline: build 1 `make` (stage 0) writes `out/result.txt`, build 2 `use` (stage 1) reads
 * it from the artifacts it downloads. Artifact options are not part of seeds: see `withArtifacts`.
 */
export function e2eArtifactsSeed(): string {
  return JSON.stringify({
    users: [{ id: 1, username: "root", admin: true, tokens: [E2E_TOKENS.admin] }],
    projects: [{ id: 1, path: "e2e/app" }],
    commits: [{ project: 1, sha: "c".repeat(40), message: "e2e" }],
    runners: [{ id: 1, token: E2E_TOKENS.runner, description: "e2e runner" }],
    pipelines: [{ id: 1, project: 1, sha: "c".repeat(40), ref: "main" }],
    builds: [
      {
        id: 1,
        pipeline: 1,
        name: "make",
        status: "pending",
        script: ["mkdir -p out", "echo built-by-make > out/result.txt"],
        queued_at: "2026-01-01T00:00:00.000Z",
      },
      {
        id: 2,
        pipeline: 1,
        name: "use",
        stage: "deploy",
        stage_idx: 1,
        status: "created",
        script: ['echo "got: $(cat out/result.txt)"'],
      },
    ],
  });
}
