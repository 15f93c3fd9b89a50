// Removes every container and network a runner labelled: after a job, on shutdown, and when a runner starts
// again after an earlier life of it was killed.

import type Docker from "dockerode";

/** The label every container and network of a runner carries (its key), and the build's id. */
export const RUNNER_LABEL = "com.buildsim.runner";
export const BUILD_LABEL = "com.buildsim.build";

/** Labels for one build's containers and network. */
export function buildLabels(runnerKey: string, buildId: number): Record<string, string> {
  return { [RUNNER_LABEL]: runnerKey, [BUILD_LABEL]: String(buildId) };
}

/**
 * Force-removes the containers (running ones are killed) and then the networks matching the labels
 * (`key=value` strings, all of which must match); resolves with how many of each went.
 */
export async function removeLabelled(
  docker: Docker,
  labels: readonly string[],
): Promise<{ containers: number; networks: number }> {
  const filters = JSON.stringify({ label: labels });
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch((error: { statusCode?: number }) => {
          // 404: gone already; 409: removal already in progress.
          if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
        }),
    ),
  );
  const networks = await docker.listNetworks({ filters });
  await Promise.all(
    networks.map((n) =>
      docker
        .getNetwork(n.Id)
        .remove()
        .catch((error: { statusCode?: number }) => {
          if (error.statusCode !== 404) throw error;
        }),
    ),
  );
  return { containers: containers.length, networks: networks.length };
}
