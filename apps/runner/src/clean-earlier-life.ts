// A runner that starts removes what an earlier life of it left (it was killed before it could clean up):
// its labelled containers and networks, and its build directories.

import { rm } from "node:fs/promises";
import type Docker from "dockerode";
import { RUNNER_LABEL, removeLabelled } from "./docker/remove-labelled.js";

export interface EarlierLife {
  containers: number;
  networks: number;
}

/** Removes the runner's leftovers: `buildsDir` is this runner's own directory (it is emptied). */
export async function cleanEarlierLife(options: {
  runnerKey: string;
  buildsDir: string;
  docker: Docker | null;
}): Promise<EarlierLife> {
  await rm(options.buildsDir, { recursive: true, force: true });
  if (!options.docker) return { containers: 0, networks: 0 };
  return removeLabelled(options.docker, [`${RUNNER_LABEL}=${options.runnerKey}`]);
}
