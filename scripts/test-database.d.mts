// Types of test-database.mjs, for the TypeScript suites that run on SQLite and on PostgreSQL.

/** True in a suite's `postgres` project (BUILDSIM_TEST_BACKEND=postgres). */
export function onPostgres(): boolean;

/** A `postgres://…?schema=NAME` URL with a schema no other server of this run uses. */
export function newPostgresDatabase(prefix?: string): string;

/** `db` for a throwaway server: `:memory:` (SQLite), or a fresh schema in the `postgres` project. */
export function testDatabase(prefix?: string): string;

/** In the `postgres` project, the one schema of the servers on `dataDir`; undefined on SQLite. */
export function postgresDatabaseFor(dataDir: string, prefix?: string): string | undefined;
