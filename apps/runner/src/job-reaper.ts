// Jobs die with their runner, even under kill -9: a small reaper process watches a pipe from the runner and,
// when it closes (the runner exited, however), kills every job process group still registered and removes
// this runner process's labelled containers and networks and its build directory. Its supervision does not
// need the runner alive.
//
//   runner ──stdin pipe: "+PGID" / "-PGID" lines──▶ reaper (own process group, ignores SIGINT/SIGTERM/SIGHUP)
//   runner dies ──▶ pipe EOF ──▶ reaper: SIGKILL each group, remove containers/networks by instance label
//                                       and the instance's build directory, exit

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Where executors register the process groups of running steps. */
export interface ProcessGroupRegistry {
  add(pgid: number): void;
  delete(pgid: number): void;
}

export interface JobReaper extends ProcessGroupRegistry {
  /** SIGKILLs every registered group now, synchronously (a second Ctrl-C, just before exiting). */
  killAllNow(): void;
  /** Closes the pipe and waits for the reaper to finish its sweep and exit. */
  close(): Promise<void>;
}

export interface JobReaperOptions {
  /** The runner process's instance id; the reaper removes the containers and networks labelled with it. */
  instanceId: string;
  /** Sweep Docker objects too (only when the docker executor may have made some). */
  docker: boolean;
  /** This runner process's build directory, removed last. */
  buildsDir?: string;
}

// Beside a bundle (the CLI's) the reaper is bundled too, as reaper-main.cjs; in the package it is the .js.
const bundled = fileURLToPath(new URL("./reaper-main.cjs", import.meta.url));
const reaperMain = existsSync(bundled)
  ? bundled
  : fileURLToPath(new URL("./reaper-main.js", import.meta.url));

/** Starts the reaper process for this runner (see the file header). */
export function startJobReaper(options: JobReaperOptions): JobReaper {
  const child: ChildProcess = spawn(
    process.execPath,
    [reaperMain, options.instanceId, options.docker ? "docker" : "no-docker", options.buildsDir ?? ""],
    { detached: true, stdio: ["pipe", "ignore", "ignore"] },
  );
  child.unref();
  // The pipe must not keep the runner's event loop alive; it closes when the runner exits anyway.
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  child.stdin?.on("error", () => {});
  const groups = new Set<number>();
  const exited = once(child, "exit").catch(() => {});
  const send = (line: string) => {
    if (child.stdin?.writable) child.stdin.write(`${line}\n`);
  };
  return {
    add(pgid) {
      groups.add(pgid);
      send(`+${pgid}`);
    },
    delete(pgid) {
      groups.delete(pgid);
      send(`-${pgid}`);
    },
    killAllNow() {
      for (const pgid of groups) {
        try {
          process.kill(-pgid, "SIGKILL");
        } catch {
          // Gone already.
        }
      }
    },
    async close() {
      child.stdin?.end();
      // Unref'd so far; while we wait for its sweep, the reaper must keep the event loop alive.
      child.ref();
      if (child.exitCode === null && child.signalCode === null) await exited;
    },
  };
}
