// One dedicated PostgreSQL connection that comes back by itself: connect, run the caller's setup (LISTEN,
// the advisory lock), and after any loss (PostgreSQL restarted, the backend terminated, the network cut)
// reconnect with doubling delays until it is back, so a server never needs a restart of its own.
//
//   connecting ──ok──► ready(client) ──error/end──► down ──after backoffMs──► connecting
//        └──fail──► down (backoff doubles up to maxBackoffMs; back to minBackoffMs once ready)

import pg from "pg";

/** How the connection behaves. */
export interface PostgresConnectionOptions {
  /** `postgres://user@host:port/db` */
  url: string;
  /** Shown in `pg_stat_activity.application_name` (what an operator, or a test, finds the connection by). */
  applicationName: string;
  /** First delay before reconnecting. @default 100 */
  minBackoffMs?: number;
  /** Longest delay between attempts. @default 5000 */
  maxBackoffMs?: number;
  /** Runs on every (re)connection before the connection counts as ready; a throw counts as a failure. */
  setup(client: pg.Client): Promise<void>;
  /** The connection is ready (again): `reconnected` is false the first time. */
  ready(client: pg.Client, reconnected: boolean): void;
  /** The connection was lost (not called for `close`). */
  lost(): void;
  log: (line: string) => void;
}

/** A connection kept open until `close`. */
export interface PostgresConnection {
  /** The client when ready, else null. */
  readonly client: pg.Client | null;
  close(): Promise<void>;
}

/** Opens the connection (in the background) and keeps it open. */
export function openPostgresConnection(o: PostgresConnectionOptions): PostgresConnection {
  const minMs = o.minBackoffMs ?? 100;
  const maxMs = o.maxBackoffMs ?? 5000;
  let backoffMs = minMs;
  let current: pg.Client | null = null;
  let ready: pg.Client | null = null;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let everReady = false;
  let lastError = "";

  const retry = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, backoffMs);
    timer.unref();
    backoffMs = Math.min(maxMs, backoffMs * 2);
  };

  const drop = (client: pg.Client, error?: Error) => {
    if (client !== current) return;
    current = null;
    const wasReady = ready === client;
    ready = null;
    client.removeAllListeners();
    client.on("error", () => {});
    void client.end().catch(() => {});
    // Logged once per distinct failure, not once per attempt of a long outage.
    const message = error?.message ?? "connection ended";
    if (message !== lastError) o.log(`cluster: PostgreSQL connection lost (${message}); reconnecting`);
    lastError = message;
    if (wasReady) o.lost();
    retry();
  };

  const connect = async () => {
    if (closed) return;
    // keepAlive: a peer that vanished without closing (a dead machine) is noticed by TCP, not never.
    const client = new pg.Client({
      connectionString: o.url,
      keepAlive: true,
      application_name: o.applicationName,
    });
    current = client;
    client.on("error", (e) => drop(client, e));
    client.on("end", () => drop(client));
    try {
      await client.connect();
      await o.setup(client);
    } catch (e) {
      drop(client, e as Error);
      return;
    }
    if (client !== current || closed) return;
    ready = client;
    backoffMs = minMs;
    lastError = "";
    const reconnected = everReady;
    everReady = true;
    o.ready(client, reconnected);
  };

  void connect();
  return {
    get client() {
      return ready;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const client = current;
      current = null;
      ready = null;
      if (!client) return;
      client.removeAllListeners();
      client.on("error", () => {});
      await client.end().catch(() => {});
    },
  };
}
