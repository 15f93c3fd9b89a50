import { defineConfig } from "vitest/config";
import { backendProjects } from "../../scripts/vitest-backends.mjs";

// The suite runs twice: on SQLite (useGitLab's default, in memory) and on PostgreSQL (issue #16), whose
// project starts one throwaway cluster for the run (the server's vitest.global-setup.ts); each double gets
// a schema of its own in it (scripts/test-database.mjs).
export default defineConfig({
  test: {
    // Tests await events rather than time; these limits only stop a hang, so they leave room for a
    // loaded two-core CI machine running several packages' suites at once.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: backendProjects(),
  },
});
