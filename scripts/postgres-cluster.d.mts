// Types of postgres-cluster.mjs, for the TypeScript tests and benchmarks that start a throwaway cluster.

/** The one line a machine without PostgreSQL gets. */
export const MISSING_POSTGRES: string;

/** The directory holding `initdb` and `pg_ctl`, if PostgreSQL is installed. */
export function postgresBinDir(): string | undefined;

/** A running throwaway cluster. */
export interface PostgresCluster {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication, local only). */
  url: string;
  /** Stops PostgreSQL at once (as a crash would) and starts it again on the same port and data. */
  restart(): void;
  /** Stops it and removes its directory. */
  stop(): void;
}

/** Starts a cluster; `settings` are extra `name=value` server settings. */
export function startPostgresCluster(settings?: string[]): Promise<PostgresCluster>;
