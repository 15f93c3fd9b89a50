// Removes the containers and networks that carry some labels: after a job, when a runner process stops or
// dies (its reaper), and when a runner starts again after an earlier life of it was killed.

import type Docker from "dockerode";

/**
 * Force-removes the containers (running ones are killed) and then the networks matching the labels
 * (`key=value` strings, all of which must match) and, when given, `which` (a test of all their labels);
 * resolves with how many of each went.
 */
export async function removeLabelled(
  docker: Docker,
  labels: readonly string[],
  which: (labels: Readonly<Record<string, string>>) => boolean = () => true,
): Promise<{ containers: number; networks: number }> {
  const filters = JSON.stringify({ label: labels });
  const containers = (await docker.listContainers({ all: true, filters })).filter((c) =>
    which(c.Labels ?? {}),
  );
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
  const networks = (await docker.listNetworks({ filters })).filter((n) => which(n.Labels ?? {}));
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
