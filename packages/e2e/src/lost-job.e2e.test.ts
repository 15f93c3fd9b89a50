// Lost work (issue #13, item 8): a claim whose `job` answer never reaches the runner — a link cut right
// at that frame, or a server killed with SIGKILL between the commit and the send — must not fail a
// build that never ran. The runner reconnects, finds the build in welcome's `resume` without a byte of
// trace, releases it, and it is run again from the queue. Real server and runner processes.

import { PROTOCOL_VERSION, RUNNER_WS_PATH, type ServerToRunnerMessage } from "@buildsim/core";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { E2E_TOKENS, e2eSeed } from "./test-support/e2e-seed.js";
import { startFrameDroppingProxy } from "./test-support/frame-dropping-proxy.js";
import {
  exited,
  freePort,
  killAll,
  startRunnerProcess,
  startServerProcess,
} from "./test-support/processes.js";
import { storedBuild, testDirs } from "./test-support/test-dirs.js";
import { watchTrace } from "./test-support/trace-watcher.js";

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  killAll();
  for (const c of cleanups.splice(0)) await c();
});

const dirs = () => testDirs("buildsim-e2e-lost", cleanups);

describe("a job answer lost on the wire", () => {
  it("runs the build anyway, 3 times out of 3, instead of failing it as runner_system_failure", async () => {
    for (let round = 0; round < 3; round++) {
      const { dataDir, buildsDir } = dirs();
      const server = await startServerProcess({
        dataDir,
        port: 0,
        seed: e2eSeed(["echo ran"]),
        heartbeatTimeoutMs: 15_000,
      });
      const proxy = await startFrameDroppingProxy(server.url);
      cleanups.push(proxy.close);
      const watcher = await watchTrace(server.url, {
        project: 1,
        build: 1,
        token: E2E_TOKENS.admin,
        offset: 0,
      });
      startRunnerProcess(proxy.url, E2E_TOKENS.runner, buildsDir);
      const end = await watcher.ended;
      expect(proxy.dropped()).toBe(1);
      expect(end.status).toBe("success");
      const { build, trace: raw } = storedBuild(dataDir, 1);
      const trace = raw.toString();
      expect(build).toMatchObject({ status: "success", failureReason: null });
      expect(trace).toContain("ran");
      expect(trace).not.toContain("system failure");
    }
  }, 90_000);
});

describe("a server killed between committing a claim and sending its answer", () => {
  it("gives the build back to the queue when the runner comes back without it", async () => {
    const { dataDir, buildsDir } = dirs();
    const port = await freePort();
    const seed = e2eSeed(["echo ran after the kill"]);
    const first = await startServerProcess({ dataDir, port, seed, heartbeatTimeoutMs: 15_000 });
    // A runner's socket claims build 1; the server commits it as running. Then the server dies before
    // the runner could use the answer: as far as the runner knows, it never got a job.
    const socket = new WebSocket(`${first.url.replace(/^http/, "ws")}${RUNNER_WS_PATH}`);
    socket.on("error", () => {});
    await new Promise<void>((resolve) => {
      socket.on("open", () =>
        socket.send(JSON.stringify({ type: "hello", protocol: PROTOCOL_VERSION, token: E2E_TOKENS.runner })),
      );
      socket.on("message", (raw) => {
        const m = JSON.parse(raw.toString()) as ServerToRunnerMessage;
        if (m.type === "welcome") socket.send(JSON.stringify({ type: "claim", requestId: "r" }));
        if (m.type === "job") resolve();
      });
    });
    first.child.kill("SIGKILL");
    await exited(first.child);
    socket.terminate();
    expect(storedBuild(dataDir, 1).build).toMatchObject({ status: "running", runnerId: 1 });
    const second = await startServerProcess({ dataDir, port, seed, heartbeatTimeoutMs: 15_000 });
    const watcher = await watchTrace(second.url, {
      project: 1,
      build: 1,
      token: E2E_TOKENS.admin,
      offset: 0,
    });
    startRunnerProcess(second.url, E2E_TOKENS.runner, buildsDir);
    const end = await watcher.ended;
    expect(end.status).toBe("success");
    const { build, trace: raw } = storedBuild(dataDir, 1);
    const trace = raw.toString();
    expect(build.failureReason).toBeNull();
    expect(trace).toContain("ran after the kill");
  }, 60_000);
});
