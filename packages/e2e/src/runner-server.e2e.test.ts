// End to end with real processes: the server and runners as children, jobs run by bash, watchers over
// WebSocket. Each test gets its own data directory, port and seed (and in the `postgres` project a schema
// of its own, which a server restarted on that data directory finds again).

import { afterEach, describe, expect, it } from "vitest";
import { E2E_TOKENS, e2eArtifactsSeed, e2eSeed } from "./test-support/e2e-seed.js";
import {
  exited,
  freePort,
  isAlive,
  killAll,
  startRunnerProcess,
  startServerProcess,
} from "./test-support/processes.js";
import { openStoreOf, storedBuild, testDirs } from "./test-support/test-dirs.js";
import { watchTrace } from "./test-support/trace-watcher.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  killAll();
  for (const c of cleanups.splice(0)) c();
});

const dirs = () => testDirs("buildsim-e2e", cleanups);

const watch = (url: string, offset = 0) =>
  watchTrace(url, { project: 1, build: 1, token: E2E_TOKENS.admin, offset });

describe("a runner killed mid-build", () => {
  it("fails the build with runner_system_failure", async () => {
    const { dataDir, buildsDir } = dirs();
    const server = await startServerProcess({
      dataDir,
      port: 0,
      seed: e2eSeed(["echo started", "sleep 60"]),
      heartbeatTimeoutMs: 1500,
    });
    const watcher = await watch(server.url);
    const runner = startRunnerProcess(server.url, E2E_TOKENS.runner, buildsDir);
    await watcher.waitFor("started");
    runner.child.kill("SIGKILL");
    await exited(runner.child);
    const end = await watcher.ended;
    expect(end.status).toBe("failed");
    expect(storedBuild(dataDir, 1).build).toMatchObject({
      status: "failed",
      failureReason: "runner_system_failure",
    });
  });
});

describe("a server killed mid-stream and restarted on the same data directory", () => {
  it("keeps every acknowledged byte, stores none twice, and the runner finishes the build", async () => {
    const { dataDir, buildsDir } = dirs();
    const port = await freePort();
    const seed = e2eSeed(['for i in $(seq 1 300); do echo "line $i"; sleep 0.01; done']);
    const first = await startServerProcess({ dataDir, port, seed, heartbeatTimeoutMs: 15_000 });
    const before = await watch(first.url);
    const runner = startRunnerProcess(first.url, E2E_TOKENS.runner, buildsDir);
    await before.waitFor("line 60\n");
    first.child.kill("SIGKILL");
    await exited(first.child);
    // Every byte a watcher saw was committed before it was sent: the restarted server must hold it.
    const seen = before.bytes();
    const second = await startServerProcess({ dataDir, port, seed, heartbeatTimeoutMs: 15_000 });
    const after = await watch(second.url);
    const end = await after.ended;
    expect(end.status).toBe("success");
    const { build, trace } = storedBuild(dataDir, 1);
    expect(build.status).toBe("success");
    expect(trace.subarray(0, seen.byteLength).equals(seen)).toBe(true);
    const lines = trace
      .toString()
      .split("\n")
      .filter((l) => l.startsWith("line "));
    expect(lines).toEqual(Array.from({ length: 300 }, (_, i) => `line ${i + 1}`));
    expect(end.length).toBe(trace.byteLength);
    expect(runner.child.exitCode).toBeNull();
  });
});

describe("cancel", () => {
  it("reaches a running `sleep 60`: the process is gone and the build ends canceled", async () => {
    const { dataDir, buildsDir } = dirs();
    const server = await startServerProcess({
      dataDir,
      port: 0,
      seed: e2eSeed(['sleep 60 & echo "sleep-pid=$!"', "wait"]),
      heartbeatTimeoutMs: 15_000,
    });
    const watcher = await watch(server.url);
    startRunnerProcess(server.url, E2E_TOKENS.runner, buildsDir);
    // The echoed command also says `sleep-pid=`: wait for the printed pid and its newline.
    await watcher.waitFor(/sleep-pid=\d+\n/);
    const pid = Number(/sleep-pid=(\d+)/.exec(watcher.bytes().toString())![1]);
    expect(isAlive(pid)).toBe(true);
    const startedAt = performance.now();
    const res = await fetch(`${server.url}/api/v3/projects/1/builds/1/cancel`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": E2E_TOKENS.admin },
    });
    expect(res.status).toBe(201);
    // No event tells us another process died: poll with a deadline. 20 s is far beyond any scheduling
    // delay and far short of the sleep's own 60 s; how fast cancel is (< 1 s) is a benchmark, part (d)
    // of `bench:web`, which measures this same API cancel as its baseline.
    while (isAlive(pid) && performance.now() - startedAt < 20_000)
      await new Promise((r) => setTimeout(r, 10));
    const elapsedMs = performance.now() - startedAt;
    expect(isAlive(pid)).toBe(false);
    console.log(`cancel reached the job in ${elapsedMs.toFixed(0)} ms`);
    expect((await watcher.ended).status).toBe("canceled");
    expect(storedBuild(dataDir, 1).build.status).toBe("canceled");
  });
});

describe("a job past its timeout", () => {
  it("is stopped by the runner and fails with stuck_or_timeout_failure", async () => {
    const { dataDir, buildsDir } = dirs();
    const server = await startServerProcess({
      dataDir,
      port: 0,
      seed: e2eSeed(['sleep 60 & echo "sleep-pid=$!"', "wait"], 1),
      heartbeatTimeoutMs: 15_000,
    });
    const watcher = await watch(server.url);
    startRunnerProcess(server.url, E2E_TOKENS.runner, buildsDir);
    // The echoed command also says `sleep-pid=`: wait for the printed pid and its newline.
    await watcher.waitFor(/sleep-pid=\d+\n/);
    const pid = Number(/sleep-pid=(\d+)/.exec(watcher.bytes().toString())![1]);
    const end = await watcher.ended;
    expect(end.status).toBe("failed");
    expect(storedBuild(dataDir, 1).build).toMatchObject({
      status: "failed",
      failureReason: "stuck_or_timeout_failure",
    });
    expect(isAlive(pid)).toBe(false);
  });
});

describe("a watcher that joins late", () => {
  it("gets the whole trace so far, then the live tail, then end", async () => {
    const { dataDir, buildsDir } = dirs();
    const server = await startServerProcess({
      dataDir,
      port: 0,
      seed: e2eSeed(['for i in $(seq 1 40); do echo "tick $i"; sleep 0.05; done']),
      heartbeatTimeoutMs: 15_000,
    });
    const early = await watch(server.url);
    startRunnerProcess(server.url, E2E_TOKENS.runner, buildsDir);
    await early.waitFor("tick 10\n");
    const late = await watch(server.url);
    await late.waitFor("tick 10\n");
    // Its first chunk is the stored trace from byte 0, holding at least everything up to tick 10.
    expect(late.chunks[0]!.offset).toBe(0);
    expect(late.bytes().subarray(0, late.chunks[0]!.length).toString()).toContain("tick 10\n");
    const end = await late.ended;
    expect(end.status).toBe("success");
    expect(late.chunks.length).toBeGreaterThan(1);
    const { trace } = storedBuild(dataDir, 1);
    expect(late.bytes().equals(trace)).toBe(true);
    expect(early.bytes().equals(trace)).toBe(true);
    expect(trace.toString()).toContain("tick 40\n");
  });
});

describe("artifacts between stages", () => {
  it("uploads the first job's archive and hands it to the next stage's job", async () => {
    const { dataDir, buildsDir } = dirs();
    const server = await startServerProcess({
      dataDir,
      port: 0,
      seed: e2eArtifactsSeed(),
      heartbeatTimeoutMs: 15_000,
    });
    // Seeds carry no `artifacts:` options; set them before any runner exists to claim the build.
    const store = openStoreOf(dataDir);
    try {
      const make = store.builds.get(1)!;
      store.transaction(() =>
        store.builds.save({
          ...make,
          artifactsOptions: { paths: ["out/"], when: "on_success", expireIn: "1 week" },
        }),
      );
    } finally {
      store.close();
    }
    const watcher = await watchTrace(server.url, { project: 1, build: 2, token: E2E_TOKENS.admin });
    startRunnerProcess(server.url, E2E_TOKENS.runner, buildsDir);
    await watcher.waitFor("got: built-by-make");
    expect((await watcher.ended).status).toBe("success");
    const { build } = storedBuild(dataDir, 1);
    expect(build.artifactsFile?.filename).toBe("artifacts.zip");
    expect(build.artifactsFile!.size).toBeGreaterThan(0);
    expect(build.artifactsExpireAt).not.toBeNull();
    const res = await fetch(`${server.url}/api/v3/projects/1/builds/1/artifacts`, {
      headers: { "PRIVATE-TOKEN": E2E_TOKENS.admin },
    });
    expect(res.status).toBe(200);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
  });
});
