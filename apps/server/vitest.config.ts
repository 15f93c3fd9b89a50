import { defineConfig } from "vitest/config";
import { backendProjects } from "../../scripts/vitest-backends.mjs";

// The suite runs twice: on SQLite (the embedded default) and on PostgreSQL (issue #16), whose project
// starts a throwaway cluster (vitest.global-setup.ts) and gives every test's store a schema in it
// (src/test-support/test-store.ts). Tests of SQLite's own files run only in the first; tests of
// PostgreSQL's own code only in the second.
const SQLITE_ONLY = [
  "src/store/open-database.test.ts",
  "src/store/restart.test.ts",
  "src/store/builds-repo.test.ts",
  "src/store/wal-checkpointer.test.ts",
];
const POSTGRES_ONLY = ["src/store/postgres/**", "src/cluster/**", "src/ws/async-trace-append.test.ts"];

export default defineConfig({
  test: {
    // Tests await events rather than time; these limits only stop a hang, so they leave room for a
    // loaded two-core CI machine running several packages' suites at once.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: backendProjects({ sqliteOnly: SQLITE_ONLY, postgresOnly: POSTGRES_ONLY }),
  },
});
