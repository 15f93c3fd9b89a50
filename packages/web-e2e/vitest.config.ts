import { defineConfig } from "vitest/config";
import { backendProjects } from "../../scripts/vitest-backends.mjs";

// The suite runs twice: on SQLite in memory and on PostgreSQL (issue #16), whose project starts one
// throwaway cluster for the run (the server's vitest.global-setup.ts); each fixture server gets a schema
// of its own in it (scripts/test-database.mjs).
export default defineConfig({
  test: {
    // One browser and server set per file; files run one after another so two cores are not overrun.
    fileParallelism: false,
    // Tests await page states rather than time; these limits only stop a hang on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: backendProjects(),
  },
});
