import { defineConfig } from "vitest/config";
import { backendProjects } from "../../scripts/vitest-backends.mjs";

// Two projects. `sqlite`: every test on SQLite. `postgres` (issue #16) starts one throwaway cluster for
// the run (the server's vitest.global-setup.ts) and runs the tests again there, each server (or data
// directory, for servers restarted on it) with a schema of its own (scripts/test-database.mjs): the API and
// trace tests, the server-and-runner process tests (kill -9, restarts, failover), the fuzz and crash tests,
// and the multi-server tests, which exist only there.
const POSTGRES_ONLY = ["src/postgres-servers.e2e.test.ts"];
// The docker tests whose `buildsim run` keeps records run on both (test-support/buildsim-runs.ts passes
// `--db`); these two start no server and no store, so a second run would test nothing new: one drives a
// runner process's docker executor alone, the other one container step.
const SQLITE_ONLY = ["src/docker-runner-instances.e2e.test.ts", "src/docker-step-abort.e2e.test.ts"];

export default defineConfig({
  test: {
    // Tests await events rather than time; these limits only stop a hang, so they leave room for a
    // loaded two-core CI machine running several packages' suites at once (a server-and-runner process
    // test on PostgreSQL took 15-30 s at load 23).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: backendProjects({ sqliteOnly: SQLITE_ONLY, postgresOnly: POSTGRES_ONLY }),
  },
});
