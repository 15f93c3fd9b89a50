// Picks a server's cluster bus from its options: alone in-process (the default), an in-process network
// (several servers in one process), or PostgreSQL's LISTEN/NOTIFY (servers on several machines).

import type { ClusterBus } from "./cluster-bus.js";
import { createLocalClusterBus, type LocalClusterNetwork } from "./local-cluster-bus.js";
import {
  clusterChannelOf,
  createPostgresClusterBus,
  type PostgresClusterOptions,
} from "./postgres-cluster-bus.js";

/** Which servers this one shares its changes with. */
export type ClusterOptions = PostgresClusterOptions | { network: LocalClusterNetwork };

/** Throws on options that can never work (a bad channel name), before anything is opened. */
export function checkClusterOptions(options: ClusterOptions | undefined): void {
  if (options && "postgres" in options) clusterChannelOf(options);
}

/** Joins the cluster `options` name (connections open in the background). */
export function createClusterBus(
  options: ClusterOptions | undefined,
  log: (line: string) => void,
): ClusterBus {
  if (!options) return createLocalClusterBus({ log });
  if ("network" in options) return createLocalClusterBus({ network: options.network, log });
  return createPostgresClusterBus(options, log);
}
