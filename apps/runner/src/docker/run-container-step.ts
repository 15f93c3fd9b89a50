// Runs one step in a fresh container of the job's image: shell detection, the step's script from the mounted
// script directory, output demultiplexed live into the trace, and a kill on abort.

import { Writable } from "node:stream";
import type Docker from "dockerode";
import type { StepExit } from "../run-job-script.js";
import { DETECT_SHELL_SCRIPT } from "./container-script.js";

export interface ContainerStepOptions {
  docker: Docker;
  /** Everything but the command: image, entrypoint, env, mounts, network, labels, user. */
  create: Docker.ContainerCreateOptions;
  /** The script's path inside the container. */
  scriptPath: string;
  trace: (data: Uint8Array | string) => void;
  signal: AbortSignal;
  /** Time between SIGTERM and SIGKILL when the step is aborted. */
  killGraceMs: number;
  /** Registers the container as soon as it exists, so cleanup finds it whatever happens next. */
  track: (container: Docker.Container) => void;
}

const toTrace = (trace: ContainerStepOptions["trace"]) =>
  new Writable({
    write(chunk: Buffer, _encoding, callback) {
      trace(chunk);
      callback();
    },
  });

/**
 * create → attach → wait(next-exit) → start: attaching before the start loses no output, and waiting before
 * it cannot miss a fast exit. `Init: true` runs docker's init as PID 1, so SIGTERM reaches the shell
 * (a shell as PID 1 ignores it). The container is removed afterwards.
 */
export async function runContainerStep(options: ContainerStepOptions): Promise<StepExit> {
  const { docker, signal } = options;
  const container = await docker.createContainer({
    ...options.create,
    Cmd: ["sh", "-c", DETECT_SHELL_SCRIPT, "sh", options.scriptPath],
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: { ...options.create.HostConfig, Init: true },
  });
  options.track(container);
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true });
    const out = toTrace(options.trace);
    container.modem.demuxStream(stream, out, out);
    const ended = new Promise<void>((resolve) => {
      stream.once("end", resolve);
      stream.once("close", resolve);
      stream.once("error", () => resolve());
    });
    const exited = container.wait({ condition: "next-exit" }) as Promise<{ StatusCode: number }>;
    if (signal.aborted) return { exitCode: null };
    await container.start();
    let killing: Promise<unknown> | null = null;
    const onAbort = () => {
      killing = container
        .kill({ signal: "SIGTERM" })
        .catch(() => {})
        .then(() => new Promise((resolve) => setTimeout(resolve, options.killGraceMs)))
        .then(() => container.kill({ signal: "SIGKILL" }).catch(() => {}));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      const { StatusCode } = await exited;
      // Output still in flight when the process ended is flushed before the step counts as done.
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 1000))]);
      if (signal.aborted) return { exitCode: null };
      return { exitCode: StatusCode };
    } finally {
      signal.removeEventListener("abort", onAbort);
      void killing;
    }
  } finally {
    await container.remove({ force: true, v: true }).catch(() => {});
  }
}
