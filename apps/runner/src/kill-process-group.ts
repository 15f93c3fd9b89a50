// Ends a whole process group: SIGTERM first, SIGKILL after a grace period, so no grandchild survives.

import type { ChildProcess } from "node:child_process";

/** Sends `signal` to the process group led by `pid`; a group that is already gone is fine. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/**
 * SIGTERM to the group of `child` (spawned with `detached: true`, so it leads its own group), then SIGKILL
 * to the group after `graceMs` unless the child has exited by then. Resolves once the SIGKILL went out or
 * the child exited; members that ignored SIGTERM still get the SIGKILL.
 */
export function killProcessGroup(child: ChildProcess, graceMs: number): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return Promise.resolve();
  signalProcessGroup(pid, "SIGTERM");
  return new Promise((resolve) => {
    const kill = () => {
      clearTimeout(timer);
      child.off("exit", kill);
      signalProcessGroup(pid, "SIGKILL");
      resolve();
    };
    const timer = setTimeout(kill, graceMs);
    if (child.exitCode !== null || child.signalCode !== null) kill();
    else child.once("exit", kill);
  });
}
