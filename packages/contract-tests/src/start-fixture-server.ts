// Starts the real buildsim server on port 0, in memory, loaded with the contract fixture.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { type RunningServer, startServer } from "@buildsim/server";

const here = path.dirname(fileURLToPath(import.meta.url));

/** `fixtures/jobs-seed.yaml`: project 1 (`acme/app`) with jobs in every status. */
export const JOBS_SEED_FILE = path.resolve(here, "../fixtures/jobs-seed.yaml");

/** Tokens of the fixture's users and of its running job. */
export const TOKENS = {
  root: "tok-root",
  dev: "tok-dev",
  reporter: "tok-reporter",
  runningJob: "job-token-running",
} as const;

/** Job ids of the fixture, by what each one is for. */
export const JOBS = {
  /** success, real zip artifacts (`out/result.txt`), a trace, runner 1, tags. */
  withArtifacts: 1,
  /** failed (script_failure), trace, no artifacts. */
  failed: 2,
  /** success, trace, no artifacts. */
  succeeded: 3,
  /** running, token `job-token-running`, user dev. */
  running: 4,
  /** manual, waiting to be played. */
  manual: 5,
  pending: 6,
  canceled: 7,
  created: 8,
  skipped: 9,
  /** failed but allowed to fail. */
  allowedFailure: 10,
  /** success in master's latest successful pipeline, artifacts `dist/app.txt`. */
  packaged: 11,
  docs: 12,
} as const;

/** Every job id of the fixture, newest first (the order of `GET /projects/:id/jobs`). */
export const ALL_JOB_IDS_DESC = [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

/** A fresh server with the fixture; the clock is fixed so durations are stable. */
export function startFixtureServer(): Promise<RunningServer> {
  let n = 0;
  return startServer({
    db: ":memory:",
    seedFile: JOBS_SEED_FILE,
    clock: () => new Date("2026-01-01T00:10:00.000Z"),
    generateToken: () => `gen-token-${++n}`,
    log: () => {},
  });
}
