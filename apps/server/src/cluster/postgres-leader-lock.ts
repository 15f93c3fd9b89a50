// Leadership over PostgreSQL: the server whose dedicated connection holds a session-level advisory lock
// (`pg_try_advisory_lock`) leads. PostgreSQL releases the lock when that connection ends, so a server
// that dies (or loses its connection) hands leadership on: the others try again every `retryMs`.
// The lock is coordination, not data, so its SQL lives here with the connection, not in `store/`.

import { createHash } from "node:crypto";
import { openPostgresConnection, type PostgresConnectionOptions } from "./postgres-connection.js";

/** How the lock is taken. */
export interface LeaderLockOptions
  extends Pick<
    PostgresConnectionOptions,
    "url" | "applicationName" | "minBackoffMs" | "maxBackoffMs" | "log"
  > {
  /** What the lock is named after: servers with the same name compete for one lock. */
  name: string;
  /** How often a server that does not lead tries to take the lock. @default 1000 */
  retryMs?: number;
}

/** Leadership as seen by one server. */
export interface LeaderLock {
  isLeader(): boolean;
  close(): Promise<void>;
}

/** The advisory lock key of `name`: 64 bits of its SHA-1, as PostgreSQL's signed bigint (text). */
export function advisoryLockKey(name: string): string {
  return createHash("sha1").update(`buildsim-leader:${name}`).digest().readBigInt64BE(0).toString();
}

/** Competes for leadership until closed. */
export function openLeaderLock(o: LeaderLockOptions): LeaderLock {
  const key = advisoryLockKey(o.name);
  const retryMs = o.retryMs ?? 1000;
  let leader = false;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const attempt = async (client: {
    query: (sql: string, values: unknown[]) => Promise<{ rows: unknown[] }>;
  }) => {
    const result = await client.query("SELECT pg_try_advisory_lock($1::bigint) AS locked", [key]);
    leader = (result.rows[0] as { locked: boolean }).locked;
  };
  const poll = () => {
    if (closed || leader || timer) return;
    timer = setTimeout(async () => {
      timer = undefined;
      const client = connection.client;
      if (client) await attempt(client).catch(() => {});
      poll();
    }, retryMs);
    timer.unref();
  };

  const connection = openPostgresConnection({
    ...o,
    setup: (client) => attempt(client),
    ready: () => poll(),
    lost: () => {
      leader = false;
    },
  });
  return {
    isLeader: () => leader && connection.client !== null,
    async close() {
      closed = true;
      leader = false;
      if (timer) clearTimeout(timer);
      // Ending the session releases the lock at once.
      await connection.close();
    },
  };
}
