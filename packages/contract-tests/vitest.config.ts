import { defineConfig } from "vitest/config";
import { backendProjects } from "../../scripts/vitest-backends.mjs";

// The real clients run twice: against `buildsim serve` on SQLite in memory, and on PostgreSQL (a schema
// per server in a throwaway cluster that the second project's global setup starts).
export default defineConfig({
  test: {
    // Each python-gitlab scenario is a child process importing python-gitlab (~0.5 s), and each test's
    // server (a `buildsim serve` child process, on PostgreSQL a fresh schema migrated) starts in a hook:
    // these limits only stop a hang, so they leave room for a loaded two-core CI machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: backendProjects(),
  },
});
