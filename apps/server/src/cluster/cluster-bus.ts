// The cluster bus: how servers that share one database tell each other, after each commit, what changed
// (small JSON: ids and offsets, and a small trace append's bytes; larger ones are read from the shared
// store), and which one of them runs the cluster-wide chores (the stuck-build watchdog).
//
//   server A                         bus                          server B
//   commit ─► publish(topic, body) ─► (LISTEN/NOTIFY, or         ─► listener(topic, body)
//                                      in-process)                   reads the store, tells its
//                                                                    sockets and caches
//
// A server never hears its own messages. Delivery is at most once while connected; after a lost
// connection the bus calls its resync listeners, which treat everything as possibly changed.

/** A server's view of the cluster. */
export interface ClusterBus {
  /** This server's id on the bus (its own messages are never delivered back to it). */
  readonly serverId: string;
  /**
   * True when other servers may hear what this one publishes. A bus that is alone (the default,
   * single-server) is not shared: callers skip building messages nobody will read.
   */
  readonly shared: boolean;
  /** Sends `body` (JSON, at most {@link MAX_CLUSTER_MESSAGE_BYTES} once encoded) to every other server. */
  publish(topic: string, body: unknown): void;
  /** Hears every other server's messages, in the order each server published them. */
  subscribe(listener: ClusterListener): () => void;
  /** Called after a lost connection came back: messages sent meanwhile may have been missed. */
  onResync(listener: () => void): () => void;
  /** Resolves once messages can flow (the first connection is up); at once in-process. */
  connected(): Promise<void>;
  /**
   * Only on a bus over the database's LISTEN/NOTIFY: the channel, and `pack`, which puts messages in
   * this server's payloads, for a statement of the store to NOTIFY in its own commit. The other servers
   * hear them like any message of this one.
   */
  readonly commitNotices?: {
    channel: string;
    pack(messages: ReadonlyArray<readonly [topic: string, body: unknown]>): string[];
  };
  /** Whether this server runs the cluster-wide chores now (exactly one server at a time, give or take a takeover). */
  isLeader(): boolean;
  /** Leaves the cluster (gives up leadership, closes connections). */
  close(): Promise<void>;
}

/** Hears one message of another server. */
export type ClusterListener = (topic: string, body: unknown) => void;

/**
 * Largest encoded message (topic + body): PostgreSQL's NOTIFY takes payloads under 8000 bytes, and the
 * envelope around each message takes a few.
 */
export const MAX_CLUSTER_MESSAGE_BYTES = 7000;

/** Calls each listener, logging instead of throwing, so one failing listener never stops the others. */
export function deliverToAll<A extends unknown[]>(
  listeners: Iterable<(...args: A) => void>,
  args: A,
  log: (line: string) => void,
): void {
  for (const listener of [...listeners]) {
    try {
      listener(...args);
    } catch (e) {
      log(`cluster listener failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
}
