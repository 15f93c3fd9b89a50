// A cancel that lands while dockerd is still starting the step's container: dockerd has started it, the
// abort fires, and only then does `start()` return. The step must still kill the container. It once
// waited for the script to end instead, which left `buildsim run` hanging after Ctrl-C on a loaded machine.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createBuildContainer,
  runContainerStep,
} from "../../../apps/runner/src/docker/run-container-step.js";
import { BUSYBOX_IMAGE, ensureTestImages } from "./test-support/test-images.js";

const docker = new Docker();
const created: Docker.Container[] = [];
const stepDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-step-abort-"));

beforeAll(() => ensureTestImages(), 120_000);
afterAll(async () => {
  for (const container of created) await container.remove({ force: true }).catch(() => {});
  rmSync(stepDir, { recursive: true, force: true });
});

describe("a docker step aborted while its container starts", { timeout: 60_000 }, () => {
  it("kills the container and ends the step, instead of waiting for the script", async () => {
    writeFileSync(path.join(stepDir, "step.sh"), "sleep 600\n");
    const container = await createBuildContainer({
      docker,
      create: { Image: BUSYBOX_IMAGE, HostConfig: { Binds: [`${stepDir}:/step:ro`] } },
      scriptPath: "/step/step.sh",
      track: (c) => created.push(c),
    });
    const abort = new AbortController();
    const start = container.start.bind(container);
    container.start = (async () => {
      const started = await start();
      abort.abort("canceled");
      return started;
    }) as typeof container.start;

    const began = Date.now();
    const exit = await runContainerStep({
      container,
      trace: () => {},
      signal: abort.signal,
      killGraceMs: 500,
    });
    expect(exit).toEqual({ exitCode: null });
    // `sleep 600` was killed, not waited for: the container is stopped well before then.
    expect(Date.now() - began).toBeLessThan(30_000);
    expect((await container.inspect()).State.Running).toBe(false);
  });
});
