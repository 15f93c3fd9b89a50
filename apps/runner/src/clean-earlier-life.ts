// A runner that starts removes what earlier lives of it left (killed before they could clean up): their
// labelled containers and networks, and their build directories — but never what another live process of
// the same runner (one token, two runner processes) is using.

import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import type Docker from "dockerode";
import { removeLabelled } from "./docker/remove-labelled.js";
import { isInstanceDirGone, isInstanceGone, RUNNER_LABEL, type RunnerInstance } from "./runner-instance.js";

export interface EarlierLife {
  containers: number;
  networks: number;
  buildDirs: number;
}

/**
 * Removes the leftovers of the runner's dead instances: `runnerDir` holds one build directory per instance
 * (named by its id); Docker objects carry the runner's key and their instance's labels.
 */
export async function cleanEarlierLife(options: {
  instance: RunnerInstance;
  runnerDir: string;
  docker: Docker | null;
}): Promise<EarlierLife> {
  const { instance } = options;
  const entries = await readdir(options.runnerDir).catch(() => [] as string[]);
  const gone = entries.filter((name) => isInstanceDirGone(name, instance));
  await Promise.all(
    gone.map((name) => rm(path.join(options.runnerDir, name), { recursive: true, force: true })),
  );
  if (!options.docker) return { containers: 0, networks: 0, buildDirs: gone.length };
  const removed = await removeLabelled(options.docker, [`${RUNNER_LABEL}=${instance.key}`], (labels) =>
    isInstanceGone(labels, instance),
  );
  return { ...removed, buildDirs: gone.length };
}
