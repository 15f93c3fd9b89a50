// Starts the real buildsim server on port 0 with a seed written for the client's end-to-end tests, on the
// run's backend (SQLite in memory, or a schema of its own in the `postgres` project's cluster).

import { type RunningServer, startServer } from "@buildsim/server";
import { testDatabase } from "../../../scripts/test-database.mjs";

export const ROOT_TOKEN = "e2e-root-token";
export const GUEST_TOKEN = "e2e-guest-token";
export const RUNNERS_TOKEN = "E2E-RUNNERS-SECRET";
export const SHA = "a".repeat(40);
/** Builds 1…23 of project 1, pipeline 1: cycling through these statuses. */
export const LISTED_BUILDS = 23;
export const CYCLE = ["success", "failed", "canceled"] as const;
/** The only build of pipeline 3 (successful, so its artifacts are the ref's latest): artifacts and a trace with multi-byte characters and a secret. */
export const ARTIFACT_BUILD = 24;
export const ARTIFACT_BYTES = "PK\u0003\u0004 e2e archive";
export const TRACE_TEXT = `$ make\n\u001b[32m✓ ünïcode ok\u001b[0m with ${RUNNERS_TOKEN}\n`;
/** A manual build waiting in `skipped` (8.x style), playable. */
export const MANUAL_BUILD = 25;
/** A running build: neither retryable nor erasable. */
export const RUNNING_BUILD = 26;

function seedText(): string {
  const listed = Array.from({ length: LISTED_BUILDS }, (_, i) => {
    const id = i + 1;
    const status = CYCLE[i % CYCLE.length];
    return `  - { id: ${id}, pipeline: 1, name: "job-${id}", status: ${status}, finished_at: "2026-01-01T00:00:00.000Z", trace: "log of ${id}\\n" }`;
  });
  return `
users:
  - { id: 1, username: root, admin: true, tokens: [${ROOT_TOKEN}] }
  - { id: 2, username: guest, tokens: [${GUEST_TOKEN}] }
projects:
  - { id: 1, path: acme/app, runners_token: ${RUNNERS_TOKEN} }
commits:
  - { project: 1, sha: "${SHA}", message: "first" }
runners:
  - { id: 1, token: e2e-runner-token, description: runner one, projects: [1] }
pipelines:
  - { id: 1, project: 1, sha: "${SHA}", ref: master }
  - { id: 2, project: 1, sha: "${SHA}", ref: master }
  - { id: 3, project: 1, sha: "${SHA}", ref: master }
builds:
${listed.join("\n")}
  - id: ${ARTIFACT_BUILD}
    pipeline: 3
    name: package
    status: success
    finished_at: "2026-01-01T00:00:09.000Z"
    trace: ${JSON.stringify(TRACE_TEXT)}
    artifacts: { filename: pkg.zip, contents: ${JSON.stringify(ARTIFACT_BYTES)} }
  - { id: ${MANUAL_BUILD}, pipeline: 2, name: release, stage: deploy, stage_idx: 1, when: manual, status: skipped }
  - { id: ${RUNNING_BUILD}, pipeline: 2, name: lint, status: running, runner: 1, started_at: "2026-01-01T00:00:00.000Z" }
`;
}

/** The real server, seeded, on SQLite in memory (or a fresh PostgreSQL schema in the `postgres` project); close it after the test. */
export function startE2eServer(): Promise<RunningServer> {
  return startServer({ db: testDatabase("e2e"), seedText: seedText(), log: () => {} });
}
