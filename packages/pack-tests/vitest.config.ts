import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Packing, installing tarballs (better-sqlite3 compiles from source: no prebuilt binaries offline)
    // and running real processes: these limits only stop a hang on a loaded two-core machine.
    testTimeout: 600_000,
    hookTimeout: 900_000,
    // One scratch install at a time: the suites share the npm cache and the two cores.
    fileParallelism: false,
  },
});
