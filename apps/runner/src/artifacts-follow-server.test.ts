// A runner that fails over between servers sends a job's artifacts to the server it is on when the job
// uploads them, not to the one it was on when the job started (its first server may be gone by then).

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeJobPayload } from "../../../packages/client/src/test-support/make-job-payload.js";
import { createShellExecutor } from "./shell-executor.js";
import { type ArtifactServer, startArtifactServer } from "./test-support/artifact-server.js";
import { runExecutor } from "./test-support/run-executor.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function artifactServer(): Promise<ArtifactServer> {
  const server = await startArtifactServer();
  cleanups.push(() => server.close());
  return server;
}

describe("a shell executor given the server in use as a function", () => {
  it("uploads the artifacts to the server in use at the end of the job", async () => {
    const [first, second] = [await artifactServer(), await artifactServer()];
    const buildsDir = await mkdtemp(path.join(os.tmpdir(), "buildsim-follow-"));
    cleanups.push(() => rm(buildsDir, { recursive: true, force: true }));
    const go = path.join(buildsDir, "go");
    let inUse = first.url;
    const executor = createShellExecutor({
      runnerName: "r",
      runnerVersion: "0",
      serverUrl: () => inUse,
      buildsDir,
    });
    const run = runExecutor(
      executor,
      makeJobPayload({
        id: 5,
        // Waits for the test's go-ahead, so the switch of servers lands while the job runs.
        script: ["echo started", `until [ -e ${go} ]; do sleep 0.02; done`, "echo built > out.txt"],
        artifacts: { name: null, paths: ["out.txt"], exclude: [], when: "on_success", expireIn: null },
      }),
    );
    await run.traceContains("started\n");
    // The runner moved to the second server while the job ran.
    inUse = second.url;
    await writeFile(go, "");
    expect(await run.result).toEqual({ state: "success", exitCode: 0 });
    expect(first.uploads).toEqual([]);
    expect(second.uploads.map((u) => u.jobId)).toEqual([5]);
  });
});
