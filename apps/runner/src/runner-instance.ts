// Who made a container, network or build directory: the runner (its key, the same in every life of it) and
// this runner process (its instance id). Two runners with one token never remove each other's things,
// while a runner that starts still removes what a dead earlier life left.

import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import os from "node:os";

/** The label every container and network of a runner carries (its key), in every life of it. */
export const RUNNER_LABEL = "com.buildsim.runner";
/** The runner process that made it: `<pid>-<random>`. */
export const INSTANCE_LABEL = "com.buildsim.runner-instance";
/** The host that process ran on: a process id says nothing about another machine's processes. */
export const HOST_LABEL = "com.buildsim.runner-host";
/** The build it belongs to. */
export const BUILD_LABEL = "com.buildsim.build";

/** One runner process. */
export interface RunnerInstance {
  /** The runner's key (a hash of URL and token): the same in every life of the runner. */
  key: string;
  /** This process: `<pid>-<6 hex digits>`, also the name of its build directory. */
  id: string;
  host: string;
}

/** This process as an instance of the runner `key`. */
export function createRunnerInstance(key: string): RunnerInstance {
  return { key, id: `${process.pid}-${randomBytes(3).toString("hex")}`, host: os.hostname() };
}

/** Whether `text` has the shape of an instance id (a build directory name, a label value). */
export function isInstanceId(text: string): boolean {
  return /^\d+-[0-9a-f]{6}$/.test(text);
}

/** Whether process `pid` of this host still runs (a zombie has ended: it only waits to be reaped). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return true;
  }
}

/**
 * Whether the runner process that made something is gone, judged by its labels. Things without an
 * instance label (made by an older buildsim) count as gone; an instance of another host never does, as
 * this host cannot see its processes.
 */
export function isInstanceGone(labels: Readonly<Record<string, string>>, self: RunnerInstance): boolean {
  const id = labels[INSTANCE_LABEL];
  if (id === undefined) return true;
  if (id === self.id) return false;
  if ((labels[HOST_LABEL] ?? self.host) !== self.host) return false;
  return isGonePid(id);
}

/** An instance id's process is gone: not running, or its pid is now this process's (an earlier life's pid reused). */
function isGonePid(id: string): boolean {
  if (!isInstanceId(id)) return true;
  const pid = Number.parseInt(id, 10);
  return pid === process.pid || !isRunning(pid);
}

/** A build directory named after an instance: gone when its process is (build dirs are on this host). */
export function isInstanceDirGone(name: string, self: RunnerInstance): boolean {
  return name !== self.id && isGonePid(name);
}

/** Labels for one build's containers and network. */
export function buildLabels(instance: RunnerInstance, buildId: number): Record<string, string> {
  return {
    [RUNNER_LABEL]: instance.key,
    [INSTANCE_LABEL]: instance.id,
    [HOST_LABEL]: instance.host,
    [BUILD_LABEL]: String(buildId),
  };
}
