// The lines the runner itself writes into a trace, worded like GitLab Runner's.

import type { JobImage, JobService } from "@buildsim/core";
import type { ExecutionResult } from "./executor.js";

/** The shell and simulate executors run no containers: say so rather than silently running on the host. */
export function ignoredContainersLine(
  image: JobImage | null,
  services: readonly JobService[],
  executor: string,
): string | null {
  if (executor === "docker" || (!image && services.length === 0)) return null;
  const parts = [
    image ? `image "${image.name}"` : null,
    services.length > 0 ? `services ${services.map((s) => s.name).join(", ")}` : null,
  ];
  return `WARNING: the ${executor} executor runs on the host; ignoring ${parts.filter(Boolean).join(" and ")}\n`;
}

/** The header every trace starts with. */
export function headerLines(runnerName: string, runnerVersion: string, executor: string): string {
  return `Running with buildsim-runner ${runnerVersion}\n  on ${runnerName}\nPreparing the "${executor}" executor\n`;
}

/** A stage heading, after a blank line as GitLab Runner prints them. */
export function sectionLine(title: string): string {
  return `\n${title}\n`;
}

/** The `$ command` echo before a command; a multi-line command shows its first line, as GitLab does. */
export function commandEchoLine(command: string): string {
  const [first = ""] = command.split("\n");
  return first === command ? `$ ${command}\n` : `$ ${first} # collapsed multi-line command\n`;
}

/** The last line: `Job succeeded`, or why it failed. */
export function footerLine(result: ExecutionResult, summary: string | null): string {
  if (result.state === "success") return "\nJob succeeded\n";
  if (result.failureReason === "runner_system_failure")
    return `\nERROR: Job failed (system failure): ${summary}\n`;
  return `\nERROR: Job failed: ${summary ?? `exit code ${result.exitCode}`}\n`;
}

/** A duration as Go prints it (`1h0m0s`, `1m30s`, `500ms`), which GitLab Runner's timeout message uses. */
export function goDuration(totalMs: number): string {
  if (totalMs < 1000) return `${totalMs}ms`;
  const seconds = totalMs / 1000;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Number((seconds % 60).toFixed(3));
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
