// Starts `buildsim serve` (the real CLI, a child process) on port 0 with the contract fixture: in memory, or,
// in the suite's `postgres` project, in a fresh schema of the run's throwaway PostgreSQL cluster.

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { testDatabase } from "../../../scripts/test-database.mjs";

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

/** The bundled `buildsim` command (built before these tests by turbo). */
const CLI = path.resolve(here, "../../../apps/cli/dist/buildsim.mjs");

/** A running `buildsim serve`. */
export interface FixtureServer {
  url: string;
  close(): Promise<void>;
}

/** `buildsim serve --db :memory:|postgres://… --seed fixtures/jobs-seed.yaml --port 0`, resolved once it listens. */
export async function startFixtureServer(): Promise<FixtureServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, "serve", "--db", testDatabase("contract"), "--seed", JOBS_SEED_FILE, "--port", "0"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(out);
      if (listening) resolve(listening[1]!);
    });
    child.once("exit", (code) =>
      reject(new Error(`buildsim serve exited with ${code} before listening:\n${out}`)),
    );
  });
  child.stdout!.resume();
  return {
    url,
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}
