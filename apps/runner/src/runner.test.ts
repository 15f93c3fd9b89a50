import os from "node:os";
import path from "node:path";
import { createRunnerConnection, type RunnerConnection } from "@buildsim/client";
import { afterEach, describe, expect, it } from "vitest";
import { makeJobPayload } from "../../../packages/client/src/test-support/make-job-payload.js";
import {
  type RunnerProtocolPeer,
  type RunnerProtocolPeerOptions,
  startRunnerProtocolPeer,
  type TraceFault,
} from "../../../packages/client/src/test-support/runner-protocol-peer.js";
import type { Executor } from "./executor.js";
import { createRunner, type Runner, type RunnerOptions } from "./runner.js";
import { createShellExecutor } from "./shell-executor.js";
import { createSimulateExecutor } from "./simulate-executor.js";
import { runExecutor } from "./test-support/run-executor.js";

let peer: RunnerProtocolPeer | null = null;
let runner: Runner | null = null;

afterEach(async () => {
  await runner?.stop();
  await peer?.close();
  runner = null;
  peer = null;
});

const simulate = () => createSimulateExecutor({ runnerName: "r1", runnerVersion: "1.0.0" });

async function start(
  peerOptions: RunnerProtocolPeerOptions = {},
  runnerOptions: Partial<RunnerOptions> = {},
  connectionOptions: { tags?: string[] } = {},
): Promise<{
  peer: RunnerProtocolPeer;
  runner: Runner;
  connection: RunnerConnection;
  running: Promise<void>;
}> {
  peer = await startRunnerProtocolPeer(peerOptions);
  const connection = createRunnerConnection({
    url: peer.url,
    token: "runner-token",
    reconnectDelayMs: 5,
    maxReconnectDelayMs: 20,
    maxTraceChunkBytes: 512,
    ...connectionOptions,
  });
  runner = createRunner({ connection, executor: simulate(), claimIntervalMs: 5, ...runnerOptions });
  return { peer, runner, connection, running: runner.run() };
}

/** The exact trace the simulate executor writes for `script`, run on its own. */
async function expectedTrace(id: number, script: string[]): Promise<string> {
  const run = runExecutor(simulate(), makeJobPayload({ id, script }));
  await run.result;
  return run.trace().toString();
}

describe("runner", () => {
  it("claims pending builds, runs them and finishes them with their exact traces", async () => {
    const { peer } = await start();
    peer.enqueue(makeJobPayload({ id: 1, script: ["echo one"] }));
    peer.enqueue(makeJobPayload({ id: 2, script: ["exit 3"] }));
    expect(await peer.waitForFinish(1)).toMatchObject({ state: "success", exitCode: 0 });
    expect(await peer.waitForFinish(2)).toMatchObject({
      state: "failed",
      exitCode: 3,
      failureReason: "script_failure",
    });
    expect(peer.builds.get(1)!.trace.toString()).toBe(await expectedTrace(1, ["echo one"]));
    expect(peer.builds.get(2)!.status).toBe("failed");
  });

  it("runs at most --concurrent builds at once and claims the next when a slot frees up", async () => {
    const { peer } = await start({}, { concurrent: 2 });
    for (const id of [1, 2, 3])
      peer.enqueue(makeJobPayload({ id, script: ["echo started", "sleep 600000"] }));
    await peer.waitForTraceBytes(1, 1);
    await peer.waitForTraceBytes(2, 1);
    expect(peer.builds.get(3)!.status).toBe("pending");
    peer.cancel(1);
    expect(await peer.waitForFinish(1)).toMatchObject({ state: "failed", exitCode: null });
    await peer.waitForTraceBytes(3, 1);
    expect(peer.builds.get(1)!.status).toBe("canceled");
    expect(peer.builds.get(1)!.trace.toString()).toMatch(/ERROR: Job failed: canceled\n$/);
  });

  it("keeps streaming across disconnects, and the server ends up with exactly the bytes the job printed", async () => {
    const script = ["lines 3000 0 a fairly long line of build output"];
    let traceMessages = 0;
    const cuts = new Set([5, 12, 30, 31]);
    const { peer } = await start({
      traceFault: (): TraceFault => {
        traceMessages++;
        if (cuts.has(traceMessages)) return "disconnect";
        return traceMessages % 7 === 0 ? "storeThenDisconnect" : "store";
      },
    });
    peer.enqueue(makeJobPayload({ id: 7, script }));
    const finish = await peer.waitForFinish(7);
    const expected = await expectedTrace(7, script);
    expect(peer.builds.get(7)!.trace.toString()).toBe(expected);
    expect(finish.traceBytes).toBe(Buffer.byteLength(expected));
    expect(peer.builds.get(7)!.overlapBytes).toBe(0);
    expect(peer.received.filter((r) => r.message.type === "hello").length).toBeGreaterThan(4);
  });

  it("streams a megabyte of real bash output across disconnects without losing or repeating a byte", async () => {
    let traceMessages = 0;
    const { peer } = await start(
      { traceFault: (): TraceFault => (++traceMessages % 11 === 0 ? "disconnect" : "store") },
      {
        executor: createShellExecutor({
          runnerName: "r1",
          runnerVersion: "1.0.0",
          serverUrl: "http://127.0.0.1:9",
          buildsDir: path.join(os.tmpdir(), "buildsim-runner-test-builds"),
        }),
      },
    );
    peer.enqueue(makeJobPayload({ id: 8, script: ["seq 1 150000"] }));
    expect(await peer.waitForFinish(8)).toMatchObject({ state: "success" });
    const trace = peer.builds.get(8)!.trace.toString();
    const expected = `${Array.from({ length: 150_000 }, (_, i) => i + 1).join("\n")}\n`;
    expect(
      trace.slice(trace.indexOf("$ seq 1 150000\n") + 15, trace.lastIndexOf("\n\nJob succeeded\n") + 1),
    ).toBe(expected);
    expect(peer.builds.get(8)!.overlapBytes).toBe(0);
    expect(traceMessages).toBeGreaterThan(11);
  });

  it("fails a build the server says it owns but it does not know (after a restart) as a system failure", async () => {
    const { peer } = await start({}, {}, {});
    const orphan = peer.enqueue(makeJobPayload({ id: 20 }));
    orphan.status = "running";
    orphan.runnerId = 1;
    orphan.trace = Buffer.from("partial output\n");
    expect(await peer.waitForFinish(20)).toMatchObject({
      state: "failed",
      failureReason: "runner_system_failure",
    });
    expect(orphan.trace.toString()).toBe(
      "partial output\n\nERROR: Job failed (system failure): the runner lost this build (it restarted mid-build)\n",
    );
  });

  it("releases a build the server says it owns but it never received (no trace), then runs it when it is offered again", async () => {
    const { peer } = await start({}, {}, {});
    const lost = peer.enqueue(makeJobPayload({ id: 21 }));
    lost.status = "running";
    lost.runnerId = 1;
    expect(await peer.waitForFinish(21)).toMatchObject({ state: "success" });
    const types = peer.received
      .filter((r) => "buildId" in r.message && r.message.buildId === 21)
      .map((r) => r.message.type);
    expect(types[0]).toBe("release");
    expect(lost.trace.toString()).not.toContain("system failure");
  });

  it("reports an executor that breaks as runner_system_failure", async () => {
    const broken: Executor = {
      name: "shell",
      run: async ({ trace }) => {
        trace("starting\n");
        throw new Error("spawn bash ENOENT");
      },
    };
    const { peer } = await start({}, { executor: broken });
    peer.enqueue(makeJobPayload({ id: 30 }));
    expect(await peer.waitForFinish(30)).toMatchObject({
      state: "failed",
      exitCode: null,
      failureReason: "runner_system_failure",
    });
    expect(peer.builds.get(30)!.trace.toString()).toBe(
      "starting\n\nERROR: Job failed (system failure): spawn bash ENOENT\n",
    );
  });

  it("sends its tags and gets only builds whose tags it has", async () => {
    const { peer } = await start({}, {}, { tags: ["docker", "linux"] });
    peer.enqueue(makeJobPayload({ id: 40 }), ["gpu"]);
    peer.enqueue(makeJobPayload({ id: 41 }), ["docker"]);
    await peer.waitForFinish(41);
    expect(peer.builds.get(40)!.status).toBe("pending");
  });

  it("on stop, aborts running builds, finishes them as system failures, and resolves run()", async () => {
    const { peer, runner, running } = await start();
    peer.enqueue(makeJobPayload({ id: 50, script: ["echo started", "sleep 600000"] }));
    await peer.waitForTraceBytes(50, 1);
    await runner.stop();
    await running;
    expect(peer.builds.get(50)!.finish).toMatchObject({
      state: "failed",
      failureReason: "runner_system_failure",
    });
    expect(peer.builds.get(50)!.trace.toString()).toMatch(
      /ERROR: Job failed \(system failure\): the runner is shutting down\n$/,
    );
  });

  it("on a graceful stop, lets running builds complete and claims nothing more", async () => {
    const { peer, runner, running } = await start();
    peer.enqueue(makeJobPayload({ id: 60, script: ["sleep 50", "echo done"] }));
    await peer.waitForTraceBytes(60, 1);
    peer.enqueue(makeJobPayload({ id: 61 }));
    await runner.stop({ abortRunning: false });
    await running;
    expect(peer.builds.get(60)!.finish).toMatchObject({ state: "success" });
    expect(peer.builds.get(61)!.status).toBe("pending");
  });

  it("stops and rejects run() when the server revokes the runner mid-run", async () => {
    const { peer, running } = await start();
    await peer.waitForWelcomes(1);
    peer.disconnectAll(4401);
    await expect(running).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("rejects run() when the server refuses the runner token", async () => {
    const { running } = await start({ runners: { "another-token": 1 } });
    await expect(running).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
