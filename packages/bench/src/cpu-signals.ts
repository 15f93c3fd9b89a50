// CPU accounting of a benchmark server child, driven by signals from the benchmark process.

let cpuStart = process.cpuUsage();
/** SIGUSR2 starts CPU accounting; SIGTERM reports the CPU used since then and exits. */
export function answerCpuSignals(close: () => Promise<void>): void {
  process.on("SIGUSR2", () => {
    cpuStart = process.cpuUsage();
    process.stdout.write("{}\n");
  });
  process.on("SIGTERM", () => {
    const used = process.cpuUsage(cpuStart);
    process.stdout.write(`${JSON.stringify({ cpuMicros: used.user + used.system })}\n`);
    void close().then(() => process.exit(0));
  });
}
