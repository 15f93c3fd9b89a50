// Several servers on one PostgreSQL (issue #16): real server processes sharing one schema of the run's
// throwaway cluster (the `postgres` project's global setup starts it), real runner processes each connected
// to a different server. Every build is claimed exactly once across the servers, and every server answers
// the API with what any of them stored.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { newPostgresDatabase } from "../../../scripts/test-database.mjs";
import { E2E_TOKENS } from "./test-support/e2e-seed.js";
import { killAll, startRunnerProcess, startServerProcess } from "./test-support/processes.js";

const BUILDS = 24;
const RUNNER_TOKENS = ["e2e-runner-a", "e2e-runner-b", "e2e-runner-c"];

/** One project, three runners, one pipeline of `builds` pending builds running `script` (default: print the id once). */
function clusterSeed(
  builds = BUILDS,
  script = ['echo "ran $CI_JOB_ID on $CI_RUNNER_DESCRIPTION"', "sleep 0.2"],
): string {
  return JSON.stringify({
    users: [{ id: 1, username: "root", admin: true, tokens: [E2E_TOKENS.admin] }],
    projects: [{ id: 1, path: "e2e/app" }],
    commits: [{ project: 1, sha: "c".repeat(40), message: "e2e" }],
    runners: RUNNER_TOKENS.map((token, i) => ({ id: i + 1, token, description: `runner ${i + 1}` })),
    pipelines: [{ id: 1, project: 1, sha: "c".repeat(40), ref: "main" }],
    builds: Array.from({ length: builds }, (_, i) => ({
      id: i + 1,
      pipeline: 1,
      name: `job-${i + 1}`,
      status: "pending",
      script,
      queued_at: "2026-01-01T00:00:00.000Z",
    })),
  });
}

const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
afterEach(() => killAll());

/**
 * Three server processes on one schema, one after the other: the first seeds the empty schema, the
 * others find it filled.
 */
async function startServers(db: string, seed: string, heartbeatTimeoutMs: number) {
  const servers = [];
  for (let i = 0; i < 3; i++) {
    servers.push(
      await startServerProcess({
        dataDir: tempDir("buildsim-pg-e2e-"),
        port: 0,
        seed,
        heartbeatTimeoutMs,
        db,
      }),
    );
  }
  return servers;
}

type Job = { id: number; status: string; runner: { description: string } | null };

/** Polls `url`'s job list until every job has finished; fails with what it saw and the runners' output. */
async function finishedJobs(url: string, count: number, outputs: () => string): Promise<Job[]> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const jobs = (await getJson(`${url}/api/v4/projects/1/jobs?per_page=100`)) as Job[];
    const done = jobs.every((j) => ["success", "failed", "canceled"].includes(j.status));
    if (jobs.length === count && done) return jobs;
    if (Date.now() > deadline) {
      throw new Error(
        `jobs did not finish: ${JSON.stringify(jobs.map((j) => [j.id, j.status]))}\n${outputs()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

const traceOf = async (url: string, id: number) =>
  (
    await fetch(`${url}/api/v4/projects/1/jobs/${id}/trace`, {
      headers: { "PRIVATE-TOKEN": E2E_TOKENS.admin },
    })
  ).text();

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { "PRIVATE-TOKEN": E2E_TOKENS.admin } });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

describe("three servers on one PostgreSQL", () => {
  it("hands each build to exactly one runner across the servers, and each server answers for all", async () => {
    const db = newPostgresDatabase("three_servers");
    const seed = clusterSeed();
    const servers = await startServers(db, seed, 600_000);
    const runners = servers.map((s, i) =>
      startRunnerProcess(s.url, RUNNER_TOKENS[i] as string, tempDir("buildsim-pg-builds-")),
    );

    const deadline = Date.now() + 90_000;
    let jobs: Array<{ id: number; status: string; runner: { description: string } | null }> = [];
    for (;;) {
      jobs = (await getJson(`${servers[2]!.url}/api/v4/projects/1/jobs?per_page=100`)) as typeof jobs;
      if (jobs.length === BUILDS && jobs.every((j) => j.status === "success")) break;
      if (Date.now() > deadline) {
        const views = await Promise.all(
          servers.map(async (s) =>
            ((await getJson(`${s.url}/api/v4/projects/1/jobs?per_page=100`)) as Job[])
              .filter((j) => j.status !== "success")
              .map((j) => [j.id, j.status]),
          ),
        );
        throw new Error(
          `not all builds succeeded: ${JSON.stringify(views)}\n${runners.map((r) => r.output()).join("\n")}\n${servers.map((s) => s.stderr()).join("\n")}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }

    for (const job of jobs) {
      // Any server answers for any build: the trace, read through another server than the runner's.
      const trace = await (
        await fetch(`${servers[job.id % 3]!.url}/api/v4/projects/1/jobs/${job.id}/trace`, {
          headers: { "PRIVATE-TOKEN": E2E_TOKENS.admin },
        })
      ).text();
      const runs = trace.split("\n").filter((line) => line.startsWith(`ran ${job.id} on `));
      // Claimed once, run once: one line naming the one runner the API names.
      expect(runs).toEqual([`ran ${job.id} on ${job.runner?.description}`]);
    }
    // The three runners shared the work (each took some): claims went through every server.
    const byRunner = new Set(jobs.map((j) => j.runner?.description));
    expect(byRunner.size).toBeGreaterThan(1);
  }, 150_000);

  it("survives kill -9 of a server while runners stream: its runner moves on, traces resume exactly, nothing fails", async () => {
    const db = newPostgresDatabase("failover");
    const LINES = 150;
    const seed = clusterSeed(6, [`for i in $(seq 1 ${LINES}); do echo "line $i"; sleep 0.02; done`]);
    const servers = await startServers(db, seed, 15_000);
    const urls = servers.map((s) => s.url);
    // Each runner starts on its own server and knows the others, in turn.
    const runners = RUNNER_TOKENS.map((token, i) =>
      startRunnerProcess(
        [0, 1, 2].map((k) => urls[(i + k) % 3] as string),
        token,
        tempDir("buildsim-pg-builds-"),
      ),
    );
    const outputs = () => runners.map((r) => r.output()).join("\n");
    // Wait until server 0's runner is streaming a build (read through server 2), then kill server 0.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const jobs = (await getJson(`${urls[2]}/api/v4/projects/1/jobs?per_page=100`)) as Job[];
      const streaming = jobs.find((j) => j.status === "running" && j.runner?.description === "runner 1");
      if (streaming && (await traceOf(urls[2] as string, streaming.id)).includes("line 20\n")) break;
      if (Date.now() > deadline)
        throw new Error(
          `runner 1 never streamed\n${outputs()}\n--- servers:\n${servers.map((s) => s.stderr()).join("\n===\n")}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
    servers[0]!.child.kill("SIGKILL");

    const jobs = await finishedJobs(urls[1] as string, 6, outputs);
    const expected = Array.from({ length: LINES }, (_, i) => `line ${i + 1}`);
    for (const job of jobs) {
      if (job.status !== "success") {
        const detail = await getJson(`${urls[1]}/api/v4/projects/1/jobs/${job.id}`);
        const trace = await traceOf(urls[1] as string, job.id);
        throw new Error(
          `job ${job.id}: ${JSON.stringify(detail).slice(0, 300)}\n--- trace:\n${trace}\n--- runners:\n${outputs()}\n--- servers:\n${servers.map((s) => s.stderr()).join("\n===\n")}`,
        );
      }
      const lines = (await traceOf(urls[2] as string, job.id))
        .split("\n")
        .filter((l) => /^line \d+$/.test(l));
      // Every line once, in order: nothing the runner sent before the kill is lost or sent twice.
      expect(lines).toEqual(expected);
    }
    expect(runners[0]!.output()).toMatch(/connected as runner \d+ to/);
  }, 150_000);
});
