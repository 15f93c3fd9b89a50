// The in-process cluster bus: alone by default (one server: nothing is published, it always leads), or
// joined to a LocalClusterNetwork so several servers in one process act as a cluster (tests, embedders).

import { randomUUID } from "node:crypto";
import { type ClusterBus, type ClusterListener, deliverToAll } from "./cluster-bus.js";

interface Member {
  id: string;
  listeners: Set<ClusterListener>;
}

/** Servers in one process that hear each other; the earliest member still in it leads. */
export class LocalClusterNetwork {
  /** Insertion order is join order: the first member leads. */
  readonly members = new Set<Member>();
}

/** What a local bus needs. */
export interface LocalClusterBusOptions {
  /** The servers it shares messages with; none (the default) = a server alone. */
  network?: LocalClusterNetwork;
  /** @default console.error */
  log?: (line: string) => void;
}

/** A bus inside this process: messages reach the network's other members on a later turn, like NOTIFY. */
export function createLocalClusterBus(options: LocalClusterBusOptions = {}): ClusterBus {
  const network = options.network ?? new LocalClusterNetwork();
  const log = options.log ?? ((line: string) => console.error(line));
  const me: Member = { id: randomUUID(), listeners: new Set() };
  network.members.add(me);
  return {
    serverId: me.id,
    // Joined to a network, others may join at any time; alone, nobody ever hears it.
    shared: options.network !== undefined,
    publish(topic, body) {
      // A copy, as a real bus would deliver: no listener may see (or change) the publisher's objects.
      const text = JSON.stringify(body);
      for (const other of network.members) {
        if (other === me) continue;
        setImmediate(() => {
          if (network.members.has(other)) deliverToAll(other.listeners, [topic, JSON.parse(text)], log);
        });
      }
    },
    subscribe(listener) {
      me.listeners.add(listener);
      return () => me.listeners.delete(listener);
    },
    connected: () => Promise.resolve(),
    // Nothing is ever lost in-process, so there is never anything to resync.
    onResync: () => () => {},
    isLeader: () => network.members.values().next().value === me,
    async close() {
      network.members.delete(me);
      me.listeners.clear();
    },
  };
}
