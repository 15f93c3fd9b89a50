// The cluster bus over PostgreSQL's LISTEN/NOTIFY, on one dedicated connection per server (the store's
// pool never sees it), plus the leader lock on a second one. LISTEN/NOTIFY and the advisory lock are
// transport and coordination, not data: their SQL stays here, next to the connections, not in `store/`.
//
// Messages published in one turn of the event loop go out together: packed into as few NOTIFY payloads
// as fit PostgreSQL's 8000-byte limit, each `{"s": serverId, "m": [[topic, body], …]}`. While the
// connection is down, payloads wait (bounded) and go out once it is back; anything that may have been
// missed is covered by a resync: after reconnecting, a server resyncs itself and sends `{"s", "r": 1}`
// so the others resync too (their caches may hold what its lost messages would have dropped).

import { randomUUID } from "node:crypto";
import type pg from "pg";
import {
  type ClusterBus,
  type ClusterListener,
  deliverToAll,
  MAX_CLUSTER_MESSAGE_BYTES,
} from "./cluster-bus.js";
import { openPostgresConnection } from "./postgres-connection.js";
import { openLeaderLock } from "./postgres-leader-lock.js";

/** How a server joins a cluster on PostgreSQL. */
export interface PostgresClusterOptions {
  /** `postgres://user@host:port/db`: the database the servers share. */
  postgres: string;
  /** LISTEN channel (letters, digits, `_`): servers on the same database and channel form one cluster. @default "buildsim" */
  channel?: string;
  /** First reconnect delay after a lost connection. @default 100 */
  minBackoffMs?: number;
  /** Longest delay between reconnect attempts. @default 5000 */
  maxBackoffMs?: number;
  /** How often a server that does not lead tries to take the leader lock. @default 1000 */
  leaderRetryMs?: number;
  /** Payloads kept while disconnected; past this the oldest are dropped (the resync covers them). @default 10000 */
  maxQueuedPayloads?: number;
}

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7990;
/** Payloads per NOTIFY statement: a statement of at most about 800 KB. */
const PAYLOADS_PER_STATEMENT = 100;

/** The `application_name` of a server's bus or leader connection: `buildsim bus 1a2b3c4d`. */
export function applicationNameOf(role: "bus" | "leader", serverId: string): string {
  return `buildsim ${role} ${serverId.slice(0, 8)}`;
}

/** Checks `options` and returns the channel name. */
export function clusterChannelOf(options: PostgresClusterOptions): string {
  const channel = options.channel ?? "buildsim";
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(channel))
    throw new Error(
      `cluster channel must be letters, digits and _ (at most 63), got ${JSON.stringify(channel)}`,
    );
  return channel;
}

/** Joins the cluster: resolves at once (connections open in the background and come back by themselves). */
export function createPostgresClusterBus(
  options: PostgresClusterOptions,
  log: (line: string) => void = (line) => console.error(line),
): ClusterBus {
  const channel = clusterChannelOf(options);
  const serverId = randomUUID();
  const head = `{"s":${JSON.stringify(serverId)},"m":[`;
  /** How every payload of this server begins: LISTEN hears them back, and they are skipped unparsed. */
  const ownPrefix = `{"s":${JSON.stringify(serverId)},`;
  const maxQueued = options.maxQueuedPayloads ?? 10_000;
  const listeners = new Set<ClusterListener>();
  const resyncListeners = new Set<() => void>();
  /** Encoded `[topic, body]` items of this turn, not packed yet. */
  let items: string[] = [];
  /** Packed payloads waiting for the connection, oldest first. */
  let payloads: string[] = [];
  /** The batch sent and not yet confirmed: sent again after a loss (a repeat is harmless, a loss is not). */
  let inFlight: string[] | null = null;
  let flushScheduled = false;
  let markConnected = () => {};
  const connected = new Promise<void>((resolve) => {
    markConnected = resolve;
  });
  const backoff = {
    ...(options.minBackoffMs === undefined ? {} : { minBackoffMs: options.minBackoffMs }),
    ...(options.maxBackoffMs === undefined ? {} : { maxBackoffMs: options.maxBackoffMs }),
  };

  /** Encoded `[topic, body]` items in as few of this server's payloads as fit. */
  const packed = (encoded: readonly string[]): string[] => {
    const out: string[] = [];
    let current = head;
    let bytes = head.length;
    for (const item of encoded) {
      const itemBytes = Buffer.byteLength(item);
      if (bytes + itemBytes + 3 > MAX_PAYLOAD_BYTES && current !== head) {
        out.push(`${current}]}`);
        current = head;
        bytes = head.length;
      }
      current += current === head ? item : `,${item}`;
      bytes += itemBytes + 1;
    }
    if (current !== head) out.push(`${current}]}`);
    return out;
  };

  const pack = () => {
    payloads.push(...packed(items));
    items = [];
    if (payloads.length > maxQueued) payloads = payloads.slice(payloads.length - maxQueued);
  };

  /**
   * Sends what waits in one statement (one transaction, one commit), one statement at a time: under load
   * the payloads of many turns share a commit instead of queuing one commit each. Rows are numbered so
   * the NOTIFYs go out in order (PostgreSQL evaluates volatile output columns after ORDER BY).
   */
  const send = () => {
    const client = connection.client;
    if (!client || inFlight || payloads.length === 0) return;
    const batch = payloads.splice(0, PAYLOADS_PER_STATEMENT);
    inFlight = batch;
    client
      .query("SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS t(p, n) ORDER BY n", [
        channel,
        batch,
      ])
      .then(
        () => {
          if (inFlight !== batch) return;
          inFlight = null;
          send();
        },
        // The connection is being dropped: `lost` puts the batch back in line.
        () => {},
      );
  };

  const flush = () => {
    flushScheduled = false;
    pack();
    send();
  };

  const onNotification = (n: pg.Notification) => {
    if (n.channel !== channel || n.payload === undefined) return;
    // Our own payloads come back too: a live trace's bytes would be parsed once more for nothing.
    if (n.payload.startsWith(ownPrefix)) return;
    let envelope: { s?: string; m?: Array<[string, unknown]>; r?: number };
    try {
      envelope = JSON.parse(n.payload);
    } catch {
      log(`cluster: ignored a payload that is not JSON on channel ${channel}`);
      return;
    }
    if (envelope.s === serverId) return;
    if (envelope.r === 1) deliverToAll(resyncListeners, [], log);
    for (const [topic, body] of envelope.m ?? []) deliverToAll(listeners, [topic, body], log);
  };

  const connection = openPostgresConnection({
    url: options.postgres,
    applicationName: applicationNameOf("bus", serverId),
    ...backoff,
    log,
    async setup(client) {
      client.on("notification", onNotification);
      // Notifications are never kept: waiting for their commit to reach the disk only adds latency.
      await client.query("SET synchronous_commit = off");
      await client.query(`LISTEN "${channel}"`);
    },
    ready(_client, reconnected) {
      markConnected();
      if (reconnected) {
        // Ours first: the others learn we were away; then we catch up on what we may have missed.
        payloads.unshift(JSON.stringify({ s: serverId, r: 1 }));
        deliverToAll(resyncListeners, [], log);
      }
      flush();
    },
    lost() {
      payloads = [...(inFlight ?? []), ...payloads];
      inFlight = null;
    },
  });
  const leader = openLeaderLock({
    url: options.postgres,
    applicationName: applicationNameOf("leader", serverId),
    name: channel,
    ...(options.leaderRetryMs === undefined ? {} : { retryMs: options.leaderRetryMs }),
    ...backoff,
    log,
  });

  return {
    serverId,
    // Other servers may be listening at any time: a server on PostgreSQL always publishes.
    shared: true,
    publish(topic, body) {
      const item = JSON.stringify([topic, body]);
      if (Buffer.byteLength(item) > MAX_CLUSTER_MESSAGE_BYTES) {
        log(`cluster: dropped a ${topic} message of ${Buffer.byteLength(item)} bytes (over the limit)`);
        return;
      }
      items.push(item);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    },
    // The same payloads as `publish` sends, for the trace writer's statement to NOTIFY in its commit.
    commitNotices: {
      channel,
      pack: (messages) => packed(messages.map((m) => JSON.stringify(m))),
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    connected: () => connected,
    isLeader: () => leader.isLeader(),
    async close() {
      listeners.clear();
      resyncListeners.clear();
      // What this server committed last still reaches the others.
      if (flushScheduled) flush();
      await Promise.all([connection.close(), leader.close()]);
    },
  };
}
