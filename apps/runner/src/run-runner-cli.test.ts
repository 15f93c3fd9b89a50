import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { makeJobPayload } from "../../../packages/client/src/test-support/make-job-payload.js";
import {
  type RunnerProtocolPeer,
  startRunnerProtocolPeer,
} from "../../../packages/client/src/test-support/runner-protocol-peer.js";
import { type RunnerCliIo, runRunnerCli } from "./run-runner-cli.js";

let peer: RunnerProtocolPeer | null = null;
afterEach(async () => {
  await peer?.close();
  peer = null;
});

function io(): RunnerCliIo & { lines: string[]; emitter: EventEmitter; exits: number[] } {
  const lines: string[] = [];
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return {
    exit: (code) => exits.push(code),
    exits,
    env: {},
    stdout: (line) => lines.push(line),
    stderr: (line) => lines.push(line),
    signals: emitter as unknown as RunnerCliIo["signals"],
    lines,
    emitter,
  };
}

async function runningBuild(
  script: string[],
): Promise<{ peer: RunnerProtocolPeer; cli: ReturnType<typeof io>; exit: Promise<number> }> {
  peer = await startRunnerProtocolPeer();
  const cli = io();
  const exit = runRunnerCli(
    ["--url", peer.url, "--token", "runner-token", "--executor", "simulate", "--name", "cli"],
    cli,
  );
  peer.enqueue(makeJobPayload({ id: 1, script }));
  await peer.waitForTraceBytes(1, 1);
  return { peer, cli, exit };
}

describe("runner CLI", () => {
  it("on SIGQUIT stops claiming, lets the running build complete, and exits 0", async () => {
    const { peer, cli, exit } = await runningBuild(["echo started", "sleep 100", "echo finished"]);
    cli.emitter.emit("SIGQUIT");
    expect(await exit).toBe(0);
    expect(peer.builds.get(1)!.finish).toMatchObject({ state: "success" });
    expect(cli.lines).toContain("stopping: no more builds; waiting for the running ones");
    expect(cli.lines).toContain("build 1 finished: success");
    expect(cli.emitter.listenerCount("SIGQUIT")).toBe(0);
  });

  // The shell convention for "stopped by Ctrl-C" (128 + SIGINT), as the issue asks of every stop by signal.
  it("on SIGTERM aborts the running build, finishes it as a system failure, and exits 130", async () => {
    const { peer, cli, exit } = await runningBuild(["echo started", "sleep 600000"]);
    cli.emitter.emit("SIGTERM");
    expect(await exit).toBe(130);
    expect(peer.builds.get(1)!.finish).toMatchObject({
      state: "failed",
      failureReason: "runner_system_failure",
    });
  });

  it("on a second SIGINT stops waiting for a finish the server cannot take", async () => {
    const { peer: gone, cli, exit } = await runningBuild(["echo started", "sleep 600000"]);
    await gone.close();
    peer = null;
    cli.emitter.emit("SIGINT");
    cli.emitter.emit("SIGINT");
    expect(cli.exits).toEqual([130]);
    expect(await exit).toBe(130);
    expect(cli.lines).toContain("stopping now: giving up on unfinished builds");
    expect(cli.lines.some((line) => /build 1 could not be finished/.test(line))).toBe(true);
  });

  // gitlab-runner's config.toml has one `url` per runner; the list is buildsim's multi-server addition.
  it("with two --url flags, says which server it cannot reach and which it tries next, then runs builds on the one that answers", async () => {
    const gone = await startRunnerProtocolPeer();
    await gone.close();
    peer = await startRunnerProtocolPeer();
    const cli = io();
    const exit = runRunnerCli(
      ["--url", gone.url, "--url", peer.url, "--token", "runner-token", "--executor", "simulate"],
      cli,
    );
    peer.enqueue(makeJobPayload({ id: 1, script: ["echo on the second server"] }));
    await peer.waitForFinish(1);
    expect(cli.lines[0]).toMatch(
      new RegExp(
        `^buildsim runner: cannot reach ${gone.url} \\(ECONNREFUSED\\): nothing listens there; is the server running\\? trying ${peer.url} in \\d+\\.\\ds$`,
      ),
    );
    expect(cli.lines).toContain(`connected as runner 1 to ${peer.url}`);
    expect(peer.builds.get(1)!.trace.toString()).toContain("on the second server");
    cli.emitter.emit("SIGQUIT");
    expect(await exit).toBe(0);
  });
});
