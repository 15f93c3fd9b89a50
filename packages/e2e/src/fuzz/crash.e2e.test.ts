// Crash tests with real processes: the server killed with SIGKILL again and again while a runner
// streams a trace, and a runner killed with SIGKILL while its job runs. Counted: kills, trace bytes
// lost (lines acknowledged or printed that the final trace lacks, or holds twice), builds stuck (not
// complete at the end), and orphans (job processes still alive once the build is over).

import { afterEach, describe, expect, it } from "vitest";
import { E2E_TOKENS, e2eSeed } from "../test-support/e2e-seed.js";
import {
  exited,
  freePort,
  isAlive,
  killAll,
  startRunnerProcess,
  startServerProcess,
} from "../test-support/processes.js";
import { storedBuild, testDirs } from "../test-support/test-dirs.js";
import { watchTrace } from "../test-support/trace-watcher.js";
import { recordFigures } from "./fuzz-support.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  killAll();
  for (const c of cleanups.splice(0)) c();
});

const dirs = () => testDirs("buildsim-crash", cleanups);

const LINES = 400;
const KILLS = 4;

describe("a server killed with SIGKILL 4 times while a runner streams", () => {
  it("loses no byte, leaves no build stuck and no job process behind", async () => {
    const { dataDir, buildsDir } = dirs();
    const port = await freePort();
    const seed = e2eSeed([
      'echo "job-pid=$$"',
      `for i in $(seq 1 ${LINES}); do echo "line $i"; sleep 0.01; done`,
    ]);
    let server = await startServerProcess({ dataDir, port, seed, heartbeatTimeoutMs: 15_000 });
    const runner = startRunnerProcess(server.url, E2E_TOKENS.runner, buildsDir);
    let jobPid = 0;
    for (let kill = 1; kill <= KILLS; kill++) {
      const watcher = await watchTrace(server.url, {
        project: 1,
        build: 1,
        token: E2E_TOKENS.admin,
        offset: 0,
      });
      await watcher.waitFor(`line ${kill * 80}\n`);
      jobPid ||= Number(/job-pid=(\d+)/.exec(watcher.bytes().toString())?.[1] ?? 0);
      server.child.kill("SIGKILL");
      await exited(server.child);
      server = await startServerProcess({ dataDir, port, seed, heartbeatTimeoutMs: 15_000 });
    }
    const end = await (
      await watchTrace(server.url, { project: 1, build: 1, token: E2E_TOKENS.admin, offset: 0 })
    ).ended;
    const { build, trace: raw } = storedBuild(dataDir, 1);
    const trace = raw.toString();
    const lines = trace.split("\n").filter((l) => /^line \d+$/.test(l));
    const expected = Array.from({ length: LINES }, (_, i) => `line ${i + 1}`);
    const lost = expected.filter((l) => !lines.includes(l)).length + (lines.length - new Set(lines).size);
    const stuck = build.status === "success" || build.status === "failed" ? 0 : 1;
    const orphans = jobPid > 0 && isAlive(jobPid) ? 1 : 0;
    recordFigures("crash-server", { kills: KILLS, linesLost: lost, stuck, orphans, status: build.status });
    expect(end.status).toBe("success");
    expect(lines).toEqual(expected);
    expect(lost).toBe(0);
    expect(stuck).toBe(0);
    expect(jobPid).toBeGreaterThan(0);
    expect(orphans).toBe(0);
    expect(runner.child.exitCode).toBeNull();
  }, 120_000);
});

describe("a runner killed with SIGKILL while its job runs", () => {
  it("fails the build, and the job's processes do not outlive the runner", async () => {
    const { dataDir, buildsDir } = dirs();
    const server = await startServerProcess({
      dataDir,
      port: 0,
      seed: e2eSeed(['sleep 60 & echo "sleep-pid=$!"', "wait"]),
      heartbeatTimeoutMs: 1500,
    });
    const watcher = await watchTrace(server.url, {
      project: 1,
      build: 1,
      token: E2E_TOKENS.admin,
      offset: 0,
    });
    const runner = startRunnerProcess(server.url, E2E_TOKENS.runner, buildsDir);
    await watcher.waitFor(/sleep-pid=\d+\n/);
    const sleepPid = Number(/sleep-pid=(\d+)/.exec(watcher.bytes().toString())![1]);
    runner.child.kill("SIGKILL");
    await exited(runner.child);
    const end = await watcher.ended;
    const orphans = isAlive(sleepPid) ? 1 : 0;
    if (orphans) process.kill(sleepPid, "SIGKILL");
    recordFigures("crash-runner", { kills: 1, stuck: end.status === "failed" ? 0 : 1, orphans });
    expect(end.status).toBe("failed");
    expect(storedBuild(dataDir, 1).build.failureReason).toBe("runner_system_failure");
    expect(orphans).toBe(0);
  }, 60_000);
});
