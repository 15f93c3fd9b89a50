// The PostgreSQL the cluster tests run against (the suite's global setup starts a throwaway one), and a
// fresh channel per test so tests never hear each other.

import { randomBytes } from "node:crypto";
import pg from "pg";

/** `BUILDSIM_TEST_POSTGRES_URL`, or a one-line failure naming what is missing. */
export function testPostgresUrl(): string {
  const url = process.env.BUILDSIM_TEST_POSTGRES_URL;
  if (!url)
    throw new Error(
      "BUILDSIM_TEST_POSTGRES_URL is not set: install Debian's postgresql and run the tests through the package's test command",
    );
  return url;
}

/** A channel name no other test uses. */
export function uniqueChannel(): string {
  return `t_${randomBytes(6).toString("hex")}`;
}

/** Runs `sql` on a short-lived connection of its own (terminating backends, say). */
export async function runSql(sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

/** Ends the backends whose `application_name` is `name` (a lost connection, as PostgreSQL sees it); how many. */
export async function terminateBackends(name: string): Promise<number> {
  const result = await runSql(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
    [name],
  );
  return result.rowCount ?? 0;
}
