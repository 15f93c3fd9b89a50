// Two runner processes with one token (GitLab lets several runners share a token) each remove only what
// they made: not at start (the earlier-life sweep), not when they stop (the reaper's sweep). What a dead
// process left — its reaper killed too — is removed by the next one to start. Real processes, real dockerd.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isAlive } from "./test-support/processes.js";
import { ensureTestImages } from "./test-support/test-images.js";

const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/docker-runner-main.mjs");
const work = mkdtempSync(path.join(os.tmpdir(), "buildsim-instances-e2e-"));
const children = new Set<ChildProcess>();

interface RunnerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the ids it printed once set up (after its earlier-life sweep). */
  ready: Promise<{ instanceId: string; runnerKey: string }>;
  exit: Promise<number | null>;
}

function startRunner(token: string, buildsDir: string, command?: string): RunnerProcess {
  const child = spawn(process.execPath, [MAIN, token, buildsDir, ...(command ? [command] : [])], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let output = "";
  const ready = new Promise<{ instanceId: string; runnerKey: string }>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const first = output.split("\n")[0]!;
      if (output.includes("\n")) resolve(JSON.parse(first) as { instanceId: string; runnerKey: string });
    });
    child.once("exit", () => reject(new Error(`runner exited early:\n${output}`)));
  });
  ready.catch(() => {});
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, ready, exit };
}

/** Ids of the containers carrying `label` (`key=value`), running or not. */
const containersLabelled = (label: string) =>
  execFileSync("docker", ["ps", "-aq", "--filter", `label=${label}`], { encoding: "utf8" }).trim();
const runningLabelled = (label: string) =>
  execFileSync("docker", ["ps", "-q", "--filter", `label=${label}`], { encoding: "utf8" }).trim();

async function until(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The reaper process `child` started (`reaper-main` with `child` as parent). */
function reaperOf(child: ChildProcess): number {
  const line = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(child.pid)], { encoding: "utf8" })
    .split("\n")
    .find((l) => l.includes("reaper-main"));
  return Number.parseInt(line!.trim(), 10);
}

beforeAll(() => ensureTestImages(), 120_000);
afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  children.clear();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("runner processes sharing one token", { timeout: 120_000 }, () => {
  it("remove only their own containers and build directories; a dead one's go when the next one starts", async () => {
    const builds = path.join(work, "builds");
    const token = "shared-token";
    const a = startRunner(token, builds, "sleep 621");
    const { instanceId: aId, runnerKey } = await a.ready;
    await until(() => a.output().includes("$ sleep 621"));
    const aLabel = `com.buildsim.runner-instance=${aId}`;
    const aDir = path.join(builds, runnerKey, aId);
    expect(runningLabelled(aLabel)).not.toBe("");
    expect(existsSync(aDir)).toBe(true);

    // B starts with the same token: its sweep of earlier lives leaves A's running job alone.
    const b = startRunner(token, builds);
    const { instanceId: bId, runnerKey: bKey } = await b.ready;
    expect(bKey).toBe(runnerKey);
    expect(bId).not.toBe(aId);
    expect(runningLabelled(aLabel)).not.toBe("");
    expect(existsSync(aDir)).toBe(true);

    // B stops: its reaper's sweep removes B's things only.
    b.child.kill("SIGTERM");
    expect(await b.exit).toBe(0);
    expect(runningLabelled(aLabel)).not.toBe("");
    expect(existsSync(aDir)).toBe(true);
    expect(a.output()).not.toContain('"result"');

    // A dies with its reaper (nothing cleans up): its container and build directory stay behind…
    const aReaper = reaperOf(a.child);
    process.kill(aReaper, "SIGKILL");
    a.child.kill("SIGKILL");
    await a.exit;
    await until(() => !isAlive(aReaper));
    expect(containersLabelled(aLabel)).not.toBe("");
    expect(existsSync(aDir)).toBe(true);

    // …until the next process of the runner starts: A is dead, so its leftovers go.
    const c = startRunner(token, builds);
    await c.ready;
    expect(containersLabelled(aLabel)).toBe("");
    expect(existsSync(aDir)).toBe(false);
    c.child.kill("SIGTERM");
    expect(await c.exit).toBe(0);
    // Nothing of this runner is left (other runners' containers, a benchmark's say, are not this test's).
    expect(containersLabelled(`com.buildsim.runner=${runnerKey}`)).toBe("");
  });
});
