// Lets the benchmark ask a server child for its CPU time over IPC: throughput on a shared machine is
// noisy, CPU time per request is not.

/** Answers `"cpu"` (`process.cpuUsage()`) and `"memory"` (`process.memoryUsage()`) over an IPC channel. */
export function answerCpuQueries(): void {
  if (!process.send) return;
  process.on("message", (m) => {
    if (m === "cpu") process.send?.({ cpu: process.cpuUsage() });
    else if (m === "memory") process.send?.({ memory: process.memoryUsage() });
  });
  // The IPC channel must not keep the server alive on its own.
  process.channel?.unref();
}
