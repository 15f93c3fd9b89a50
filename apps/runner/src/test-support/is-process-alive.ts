// Whether a process is still running: it exists and is not a zombie waiting for its parent to reap it.

import { readFile } from "node:fs/promises";

/** True while `pid` exists and is not a zombie (state `Z` in /proc/PID/stat). */
export async function isProcessAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  return stat !== "" && stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
}
