import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { copyFile, mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeJobPayload } from "../../../packages/client/src/test-support/make-job-payload.js";
import {
  type RunnerProtocolPeer,
  startRunnerProtocolPeer,
} from "../../../packages/client/src/test-support/runner-protocol-peer.js";
import { type ArtifactServer, startArtifactServer } from "./test-support/artifact-server.js";
import { isProcessAlive } from "./test-support/is-process-alive.js";

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
let buildDir: string;
let artifacts: ArtifactServer;
let peer: RunnerProtocolPeer | null = null;
let child: ChildProcess | null = null;

// The runner's own dist/ may be stale or being rebuilt while tests run, so compile a private copy.
beforeAll(async () => {
  buildDir = await mkdtemp(path.join(os.tmpdir(), "buildsim-runner-e2e-"));
  await promisify(execFile)(path.join(packageDir, "node_modules", ".bin", "tsc"), [
    "-p",
    path.join(packageDir, "tsconfig.build.json"),
    "--outDir",
    path.join(buildDir, "dist"),
    "--declaration",
    "false",
    "--declarationMap",
    "false",
    "--sourceMap",
    "false",
  ]);
  await copyFile(path.join(packageDir, "package.json"), path.join(buildDir, "package.json"));
  await symlink(path.join(packageDir, "node_modules"), path.join(buildDir, "node_modules"));
  artifacts = await startArtifactServer();
  // tsc over the whole runner takes 5 s on a quiet machine and over a minute on a loaded shared one.
}, 240_000);

afterAll(async () => {
  await artifacts?.close();
  await rm(buildDir, { recursive: true, force: true });
});

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  child = null;
  await peer?.close();
  peer = null;
});

async function startPeer(
  options: Parameters<typeof startRunnerProtocolPeer>[0] = {},
): Promise<RunnerProtocolPeer> {
  peer = await startRunnerProtocolPeer(options);
  return peer;
}

function startRunner(args: string[]): {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
} {
  const proc = spawn(process.execPath, [path.join(buildDir, "dist", "main.js"), ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child = proc;
  let output = "";
  proc.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(proc, "exit").then(([code]) => code as number | null);
  return { process: proc, output: () => output, exited };
}

describe("runner process", () => {
  it("runs builds with bash as a separate process, uploads artifacts, and on SIGTERM aborts the running build and exits 130", async () => {
    const peer = await startPeer({ http: artifacts.handle });
    const runner = startRunner([
      "--url",
      peer.url,
      "--token",
      "runner-token",
      "--executor",
      "shell",
      "--concurrent",
      "2",
      "--name",
      "e2e",
      "--builds-dir",
      path.join(buildDir, "builds"),
      "--tags",
      "e2e",
    ]);
    peer.enqueue(
      makeJobPayload({
        id: 1,
        script: ['echo "hello from $CI_JOB_ID" | tee out.txt'],
        artifacts: { name: null, paths: ["out.txt"], exclude: [], when: "on_success", expireIn: "1 day" },
      }),
      ["e2e"],
    );
    expect(await peer.waitForFinish(1)).toMatchObject({ state: "success", exitCode: 0 });
    expect(peer.builds.get(1)!.trace.toString()).toContain(
      '$ echo "hello from $CI_JOB_ID" | tee out.txt\nhello from 1\n',
    );
    const upload = artifacts.uploads.find((u) => u.jobId === 1)!;
    expect(Buffer.from(unzipSync(new Uint8Array(upload.body))["out.txt"]!).toString()).toBe("hello from 1\n");

    const pidFile = path.join(buildDir, "sleep.pid");
    peer.enqueue(makeJobPayload({ id: 2, script: [`sleep 60 & echo $! > ${pidFile}; echo sleeping; wait`] }));
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!peer.builds.get(2)?.trace.toString().includes("sleeping\n")) return;
        peer.events.off("trace", check);
        resolve();
      };
      peer.events.on("trace", check);
      check();
    });
    runner.process.kill("SIGTERM");
    // 130: stopped by a signal, as the issue asks of every stop by SIGINT/SIGTERM.
    expect(await runner.exited).toBe(130);
    const sleepPid = Number(await readFile(pidFile, "utf8"));
    expect(await isProcessAlive(sleepPid)).toBe(false);
    expect(peer.builds.get(2)!.finish).toMatchObject({
      state: "failed",
      failureReason: "runner_system_failure",
    });
    expect(runner.output()).toContain("connected as runner 1");
    expect(peer.received[0]!.message).toMatchObject({
      type: "hello",
      name: "e2e",
      executor: "shell",
      tags: ["e2e"],
    });
  }, 30_000);

  it("exits 1 with a clear message when the server refuses the token", async () => {
    const peer = await startPeer();
    const runner = startRunner(["--url", peer.url, "--token", "wrong", "--executor", "simulate"]);
    expect(await runner.exited).toBe(1);
    expect(runner.output()).toContain("buildsim runner: the server refused this runner (UNAUTHORIZED)");
  }, 30_000);

  it("exits 2 for bad arguments with one line and a pointer to the help", async () => {
    const runner = startRunner(["--url", "http://127.0.0.1:1"]);
    expect(await runner.exited).toBe(2);
    expect(runner.output()).toBe("buildsim runner: --token is required\nsee 'buildsim runner --help'\n");
  }, 30_000);

  // The README's signal contract (SIGTERM: stop, exit 130 as GitLab Runner) holds before the first connection too.
  it("says why a dead URL cannot be reached, keeps retrying, and stops at once on SIGTERM", async () => {
    // A port that was just free: nothing listens on it.
    const probe = createServer().listen(0, "127.0.0.1");
    await once(probe, "listening");
    const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    probe.close();
    await once(probe, "close");
    const runner = startRunner(["--url", url, "--token", "t", "--executor", "simulate"]);
    while (!runner.output().includes("ECONNREFUSED")) await once(runner.process.stderr!, "data");
    expect(runner.output()).toMatch(
      /^buildsim runner: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): nothing listens there; is the server running\? retrying in \d+\.\ds\n/,
    );
    runner.process.kill("SIGTERM");
    expect(await runner.exited).toBe(130);
  }, 30_000);
});
