// The database a test's server uses, for the suites that run twice (a `sqlite` and a `postgres` vitest
// project): SQLite by default, or a schema of its own in the run's throwaway PostgreSQL cluster when the
// project sets BUILDSIM_TEST_BACKEND=postgres (apps/server/vitest.global-setup.ts starts that cluster once
// per vitest run and puts its URL in BUILDSIM_TEST_POSTGRES_URL).

let schemas = 0;

/** True in a suite's `postgres` project. */
export function onPostgres() {
  return process.env.BUILDSIM_TEST_BACKEND === "postgres";
}

/**
 * A `postgres://…?schema=NAME` URL with a schema no other server of this run uses (NAME starts with
 * `prefix`; the process id keeps parallel test files apart). The server creates and migrates it.
 */
export function newPostgresDatabase(prefix = "t") {
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
