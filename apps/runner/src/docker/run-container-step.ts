// The job's build container and the steps run in it: created once per job, started again for each step
// (so `after_script` is a new shell on the same container filesystem as `script`, as in GitLab Runner's
// docker executor), with the step's output demultiplexed live into the trace and a kill on abort.

import { Writable } from "node:stream";
import type Docker from "dockerode";
import type { StepExit } from "../run-job-script.js";
import { DETECT_SHELL_SCRIPT } from "./container-script.js";

/** How long a step waits, after its process exited, for the rest of its output. */
const STREAM_END_WAIT_MS = 10_000;

export interface BuildContainerOptions {
  docker: Docker;
  /** Everything but the command: name, image, entrypoint, env, mounts, network, labels, user. */
  create: Docker.ContainerCreateOptions;
  /** The path, inside the container, of the script each start runs (rewritten before every step). */
  scriptPath: string;
  /** Registers the container as soon as it exists, so cleanup finds it whatever happens next. */
  track: (container: Docker.Container) => void;
}

/**
 * Creates the build container: Runner's shell detection runs the step script at `scriptPath`. `Init: true`
 * runs docker's init as PID 1, so SIGTERM reaches the shell (a shell as PID 1 ignores it).
 */
export async function createBuildContainer(options: BuildContainerOptions): Promise<Docker.Container> {
  const container = await options.docker.createContainer({
    ...options.create,
    Cmd: ["sh", "-c", DETECT_SHELL_SCRIPT, "sh", options.scriptPath],
    AttachStdout: true,
    AttachStderr: true,
    HostConfig: { ...options.create.HostConfig, Init: true },
  });
  options.track(container);
  return container;
}

export interface ContainerStepOptions {
  /** The build container (created or exited): this start runs the current step script. */
  container: Docker.Container;
  trace: (data: Uint8Array | string) => void;
  signal: AbortSignal;
  /** Time between SIGTERM and SIGKILL when the step is aborted. */
  killGraceMs: number;
}

const toTrace = (trace: ContainerStepOptions["trace"]) =>
  new Writable({
    write(chunk: Buffer, _encoding, callback) {
      trace(chunk);
      callback();
    },
  });

/**
 * attach → wait(next-exit) → start: attaching before the start loses no output, and waiting before it
 * cannot miss a fast exit. The container stays (stopped) for the next step; the job's cleanup removes it.
 */
export async function runContainerStep(options: ContainerStepOptions): Promise<StepExit> {
  const { container, signal } = options;
  const stream = await container.attach({ stream: true, stdout: true, stderr: true });
  const out = toTrace(options.trace);
  container.modem.demuxStream(stream, out, out);
  const ended = new Promise<void>((resolve) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", () => resolve());
  });
  const exited = container.wait({ condition: "next-exit" }) as Promise<{ StatusCode: number }>;
  exited.catch(() => {});
  if (signal.aborted) {
    (stream as unknown as { destroy?: () => void }).destroy?.();
    return { exitCode: null };
  }
  await container.start();
  let graceTimer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    void container.kill({ signal: "SIGTERM" }).catch(() => {});
    graceTimer = setTimeout(
      () => void container.kill({ signal: "SIGKILL" }).catch(() => {}),
      options.killGraceMs,
    );
  };
  // An abort that came while the start was in flight has already fired: the listener would never run.
  if (signal.aborted) onAbort();
  else signal.addEventListener("abort", onAbort, { once: true });
  try {
    const { StatusCode } = await exited;
    // Output still in flight when the process ended is flushed before the step counts as done. The
    // attach stream normally ends within milliseconds of the exit, but a loaded daemon can take
    // seconds (a step's last line went missing at 1 s under CI load); the bound only guards against
    // a stream that never ends.
    let streamWait: NodeJS.Timeout | undefined;
    await Promise.race([
      ended,
      new Promise((resolve) => {
        streamWait = setTimeout(resolve, STREAM_END_WAIT_MS);
      }),
    ]);
    clearTimeout(streamWait);
    if (signal.aborted) return { exitCode: null };
    return { exitCode: StatusCode };
  } finally {
    signal.removeEventListener("abort", onAbort);
    // The step is over: a pending SIGKILL must not land on the next step's start of this container.
    clearTimeout(graceTimer);
  }
}
