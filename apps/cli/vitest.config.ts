import { defineConfig } from "vitest/config";
import { backendProjects } from "../../scripts/vitest-backends.mjs";

// The suite runs twice: on SQLite (the default) and on PostgreSQL (issue #16), whose project starts one
// throwaway cluster for the run (the server's vitest.global-setup.ts) and gives every server a schema of
// its own in it (scripts/test-database.mjs; `buildsim run`'s through --db, run/test-support/run-database.ts).
// The second run leaves out the tests that start no server (nothing of the store to test again) and those
// about SQLite or memory themselves; the first leaves out the test of `buildsim run --db` itself.
const STORE_FREE = [
  "src/run/board.test.ts",
  "src/run/changed-paths.test.ts",
  "src/run/git-project.test.ts",
  "src/run/job-output-filter.test.ts",
  "src/run/parse-run-args.test.ts",
  "src/record/seed-records.test.ts",
  "src/runner-command.test.ts",
];
const POSTGRES_ONLY = ["src/run/run-postgres.test.ts"];
const SQLITE_ONLY = [
  // Errors about the SQLite data directory (--data naming a file, an unwritable one) and usage errors.
  "src/cli-errors.test.ts",
  // `buildsim lint` always checks on a server of its own in memory: there is no database to choose.
  "src/lint-command.test.ts",
];

export default defineConfig({
  test: {
    // Tests await events rather than time; these limits only stop a hang, so they leave room for a
    // loaded two-core CI machine running several packages' suites at once.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: backendProjects({ sqliteOnly: [...STORE_FREE, ...SQLITE_ONLY], postgresOnly: POSTGRES_ONLY }),
  },
});
