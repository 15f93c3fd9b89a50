// The database a test's server uses, for the suites that run twice (a `sqlite` and a `postgres` vitest
// project): SQLite by default, or a schema of its own in the run's throwaway PostgreSQL cluster when the
// project sets BUILDSIM_TEST_BACKEND=postgres (apps/server/vitest.global-setup.ts starts that cluster once
// per vitest run and puts its URL in BUILDSIM_TEST_POSTGRES_URL).

let schemas = 0;
const byDataDir = new Map();

/** True in a suite's `postgres` project. */
export function onPostgres() {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by a vitest project's `env`, not by turbo's environment
  return process.env.BUILDSIM_TEST_BACKEND === "postgres";
}

/**
 * A `postgres://…?schema=NAME` URL with a schema no other server of this run uses (NAME starts with
 * `prefix`; the process id keeps parallel test files apart). The server creates and migrates it.
 */
export function newPostgresDatabase(prefix = "t") {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by the vitest global setup that starts the cluster
  const url = process.env.BUILDSIM_TEST_POSTGRES_URL;
  if (!url)
    throw new Error(
      "BUILDSIM_TEST_POSTGRES_URL is not set: run these tests through the package's test command (its vitest global setup starts PostgreSQL)",
    );
  const db = new URL(url);
  db.searchParams.set("schema", `${prefix}_${process.pid}_${++schemas}`);
  return db.toString();
}

/** `db` for a throwaway server: `:memory:` (SQLite), or a fresh schema in the `postgres` project. */
export function testDatabase(prefix = "t") {
  return onPostgres() ? newPostgresDatabase(prefix) : ":memory:";
}

/**
 * In the `postgres` project, the schema of the servers on `dataDir`: the same one each time it is asked
 * (servers restarted on one data directory share its database, as they would share its SQLite file).
 * Undefined on SQLite.
 */
export function postgresDatabaseFor(dataDir, prefix = "t") {
  if (!onPostgres()) return undefined;
  let db = byDataDir.get(dataDir);
  if (!db) {
    db = newPostgresDatabase(prefix);
    byDataDir.set(dataDir, db);
  }
  return db;
}
