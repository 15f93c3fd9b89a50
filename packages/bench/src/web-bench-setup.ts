// The world of the browser benchmark, each part a real process: `buildsim serve` with a seed of two jobs
// and `buildsim runner` (shell executor: `seq` prints the big log; a small Node script paces the live ones
// at 10,000 lines/s by the clock), and Debian's Chromium driven by playwright-core with a fresh profile.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, "../../..");
const BUILDSIM = path.join(repoRoot, "apps", "cli", "dist", "buildsim.mjs");
export const ADMIN_TOKEN = "bench-admin";
const RUNNER_TOKEN = "bench-runner";
/** Each big-log line: about 101 bytes with its number and newline, so 50,000 lines make 5 MB. */
export const BIG_LOG_LINES = 50_000;
const BIG_LINE_TEXT = `big log ${"x".repeat(86)}`;
export const LIVE_LINES = 50_000;
export const LIVE_RATE_PER_S = 10_000;
/** The live jobs, one per live run: ids 2, then 13 on (after the sleepers); the last is the traced run's. */
export const LIVE_JOB_IDS = [2, 13, 14, 15, 16];
export const TRACED_LIVE_JOB_ID = 17;
/**
 * Every 10 ms, the lines due by the clock since the start (what a busy build prints, flushed as it goes).
 * Paced by elapsed time, not by sleeps between batches, so a loaded machine still gets 10,000 lines/s
 * (a `seq`-and-`sleep 0.01` loop reached only 2,400–3,500 here).
 */
const LIVE_PACER = `const t0 = Date.now();
let n = 0;
const tick = () => {
  const due = Math.min(${LIVE_LINES}, Math.floor(((Date.now() - t0) * ${LIVE_RATE_PER_S}) / 1000));
  let out = "";
  while (n < due) out += \`live line \${++n}\\n\`;
  if (out) process.stdout.write(out);
  if (n < ${LIVE_LINES}) setTimeout(tick, 10);
};
tick();
`;

/** Manual `sleep 60` jobs for the cancel rounds: ids 3, 4, …; odd rounds cancel from the page, even through the API. */
export const CANCEL_JOB_IDS = Array.from({ length: 10 }, (_, i) => i + 3);
const SLEEPER_SCRIPT = 'sleep 60 & echo "sleep-pid $!"; wait';

const SHA = "c".repeat(40);
const SEED = `
users:
  - { id: 1, username: root, admin: true, tokens: [${ADMIN_TOKEN}] }
projects:
  - { id: 1, path: bench/app }
commits:
  - { project: 1, sha: "${SHA}", message: "Bench" }
runners:
  - { id: 1, token: ${RUNNER_TOKEN}, description: bench shell runner }
pipelines:
  - { id: 1, project: 1, sha: "${SHA}", ref: main }
builds:
  - { id: 1, pipeline: 1, name: big-log, status: pending, script: ['seq -f "${BIG_LINE_TEXT} %g" 1 ${BIG_LOG_LINES}'] }
${CANCEL_JOB_IDS.map((id) => `  - { id: ${id}, pipeline: 1, name: sleeper ${id}, status: manual, when: manual, script: ['${SLEEPER_SCRIPT}'] }`).join("\n")}
`;
const liveJobs = (pacer: string) =>
  [...LIVE_JOB_IDS, TRACED_LIVE_JOB_ID]
    .map(
      (id) =>
        `  - { id: ${id}, pipeline: 1, name: live ${id}, status: manual, when: manual, script: ['"${process.execPath}" "${pacer}"'] }`,
    )
    .join("\n");

const children: ChildProcess[] = [];

/** Starts `buildsim serve` and `buildsim runner`; resolves with the server's URL. */
export async function startBenchProcesses(): Promise<{ url: string; stop: () => void }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "buildsim-web-bench-"));
  const seed = path.join(dir, "seed.yaml");
  const pacer = path.join(dir, "live-pacer.cjs");
  writeFileSync(pacer, LIVE_PACER);
  writeFileSync(seed, `${SEED}${liveJobs(pacer)}\n`);
  const server = spawn(
    process.execPath,
    [BUILDSIM, "serve", "--port", "0", "--db", ":memory:", "--seed", seed],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  children.push(server);
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    server.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.once("exit", (code) => reject(new Error(`buildsim serve exited with ${code}`)));
  });
  const runner = spawn(
    process.execPath,
    [BUILDSIM, "runner", "--url", url, "--token", RUNNER_TOKEN, "--executor", "shell"],
    { stdio: "ignore" },
  );
  children.push(runner);
  return {
    url,
    stop() {
      for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Chromium with a fresh profile and the flags this machine needs. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(path.join(os.tmpdir(), "buildsim-bench-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.BUILDSIM_CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1200, height: 800 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** GETs `path` as the admin; JSON. */
export async function getJson<T>(url: string, pathAndQuery: string): Promise<T> {
  const res = await fetch(`${url}${pathAndQuery}`, { headers: { "PRIVATE-TOKEN": ADMIN_TOKEN } });
  return (await res.json()) as T;
}

/** POSTs `path` as the admin; throws unless the answer is `expected`. */
export async function postAs(url: string, pathAndQuery: string, expected = 200): Promise<void> {
  const res = await fetch(`${url}${pathAndQuery}`, {
    method: "POST",
    headers: { "PRIVATE-TOKEN": ADMIN_TOKEN },
  });
  if (res.status !== expected) throw new Error(`POST ${pathAndQuery} answered ${res.status}`);
}

/** Waits until job `id` has `status`. */
export async function waitForJob(
  url: string,
  id: number,
  statuses: string[],
): Promise<{ status: string; duration: number | null }> {
  for (;;) {
    const job = await getJson<{ status: string; duration: number | null }>(
      url,
      `/api/v4/projects/1/jobs/${id}`,
    );
    if (statuses.includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}
