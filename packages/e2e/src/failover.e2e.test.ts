// Failover between servers (issue #16, "Failure"): a runner process given two server URLs [A, B] loses A
// to `kill -9` mid-stream; B is started on the same data directory (SQLite in WAL mode lets a second
// process open it once A is dead; in the `postgres` project B finds A's schema) on another port, and the
// runner moves to B by itself and carries on.
// gitlab-runner takes one `url` per runner (docs.gitlab.com/runner/configuration/advanced-configuration/
// #the-runners-section); the URL list is buildsim's addition for servers sharing one database.

import { afterEach, describe, expect, it } from "vitest";
import { E2E_TOKENS, e2eSeed } from "./test-support/e2e-seed.js";
import {
  exited,
  freePort,
  isAlive,
  killAll,
  startRunnerProcess,
  startServerProcess,
} from "./test-support/processes.js";
import { storedBuild, testDirs } from "./test-support/test-dirs.js";
import { watchTrace } from "./test-support/trace-watcher.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  killAll();
  for (const c of cleanups.splice(0)) c();
});

const watch = (url: string) => watchTrace(url, { project: 1, build: 1, token: E2E_TOKENS.admin });
const api = (url: string, path: string, method = "GET") =>
  fetch(`${url}/api/v4/projects/1/jobs/1${path}`, { method, headers: { "PRIVATE-TOKEN": E2E_TOKENS.admin } });

describe("a runner with two server URLs whose server is killed with SIGKILL mid-stream", () => {
  it("reconnects to the other server by itself, resumes the trace exactly, and the build succeeds", async () => {
    const { dataDir, buildsDir } = testDirs("buildsim-failover", cleanups);
    const seed = e2eSeed(['for i in $(seq 1 400); do echo "line $i"; sleep 0.01; done']);
    const a = await startServerProcess({ dataDir, port: 0, seed, heartbeatTimeoutMs: 15_000 });
    const urlB = `http://127.0.0.1:${await freePort()}`;
    const runner = startRunnerProcess([a.url, urlB], E2E_TOKENS.runner, buildsDir);
    const watcher = await watch(a.url);
    await watcher.waitFor("line 80\n");
    const killedAt = performance.now();
    a.child.kill("SIGKILL");
    await exited(a.child);
    // Every byte a watcher of A saw was committed before it was sent: B must start from at least that.
    const seenOnA = watcher.bytes();
    // The last whole line A stored: the next one can only reach B through the runner.
    const heldByA = storedBuild(dataDir, 1).trace.toString();
    const lastOnA = Math.max(...[...heldByA.matchAll(/^line (\d+)\n/gm)].map((m) => Number(m[1])));
    const b = await startServerProcess({
      dataDir,
      port: Number(new URL(urlB).port),
      seed,
      heartbeatTimeoutMs: 15_000,
    });
    expect(b.url).toBe(urlB);
    const bListeningAt = performance.now();
    const onB = await watch(b.url);
    await onB.waitFor(`line ${lastOnA + 1}\n`);
    const resumedAt = performance.now();
    console.log(
      `failover: A killed → B listening ${(bListeningAt - killedAt).toFixed(0)} ms; → runner streaming to B ${(resumedAt - killedAt).toFixed(0)} ms`,
    );
    const end = await onB.ended;
    expect(end.status).toBe("success");

    const job = (await (await api(b.url, "")).json()) as { status: string; runner: { id: number } | null };
    expect(job.status).toBe("success");
    const trace = await (await api(b.url, "/trace")).text();
    expect(trace.startsWith(seenOnA.toString())).toBe(true);
    // Every number the job printed, once, in order: no byte was stored twice and none is missing.
    const printed = trace.split("\n").filter((line) => line.startsWith("line "));
    expect(printed).toEqual(Array.from({ length: 400 }, (_, i) => `line ${i + 1}`));
    const stored = storedBuild(dataDir, 1);
    expect(stored.trace.toString()).toBe(trace);
    expect(stored.build.trace.bytes).toBe(stored.trace.byteLength);
    expect(end.length).toBe(stored.trace.byteLength);
    expect(runner.output()).toContain(`connected as runner 1 to ${a.url}`);
    expect(runner.output()).toContain(`connected as runner 1 to ${urlB}`);
    expect(runner.output()).toContain("build 1 finished: success");
    expect(runner.child.exitCode).toBeNull();
  }, 60_000);
});

describe("a cancel sent while the runner had no server", () => {
  it("reaches the runner when it reconnects to another server: its job's process is killed and the build stays canceled", async () => {
    const { dataDir, buildsDir } = testDirs("buildsim-failover-cancel", cleanups);
    const seed = e2eSeed(['sleep 60 & echo "sleep-pid=$!"', "wait"]);
    const a = await startServerProcess({ dataDir, port: 0, seed, heartbeatTimeoutMs: 15_000 });
    const urlB = `http://127.0.0.1:${await freePort()}`;
    const runner = startRunnerProcess([a.url, urlB], E2E_TOKENS.runner, buildsDir);
    const watcher = await watch(a.url);
    await watcher.waitFor(/sleep-pid=\d+\n/);
    const pid = Number(/sleep-pid=(\d+)/.exec(watcher.bytes().toString())![1]);
    a.child.kill("SIGKILL");
    await exited(a.child);
    // A third server the runner does not know takes the cancel, then goes away too.
    const c = await startServerProcess({ dataDir, port: 0, seed, heartbeatTimeoutMs: 15_000 });
    const canceled = await api(c.url, "/cancel", "POST");
    expect(canceled.status).toBe(201);
    expect(((await canceled.json()) as { status: string }).status).toBe("canceled");
    c.child.kill("SIGKILL");
    await exited(c.child);
    expect(isAlive(pid)).toBe(true);

    const b = await startServerProcess({
      dataDir,
      port: Number(new URL(urlB).port),
      seed,
      heartbeatTimeoutMs: 15_000,
    });
    // No event tells us another process died: poll with a deadline far below the sleep's own 60 s.
    const startedAt = performance.now();
    while (isAlive(pid) && performance.now() - startedAt < 30_000)
      await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(pid)).toBe(false);
    // The runner stops the job while it handles B's welcome, and prints "connected" after: its line may
    // reach this process's pipe a moment after the job is gone.
    const connected = `connected as runner 1 to ${b.url}`;
    while (!runner.output().includes(connected) && performance.now() - startedAt < 30_000)
      await new Promise((r) => setTimeout(r, 20));
    expect(runner.output()).toContain(connected);
    const job = (await (await api(b.url, "")).json()) as { status: string };
    expect(job.status).toBe("canceled");
    expect(runner.child.exitCode).toBeNull();
  }, 60_000);
});
