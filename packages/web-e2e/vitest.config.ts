import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // One browser and server set per file; files run one after another so two cores are not overrun.
    fileParallelism: false,
    // Tests await page states rather than time; these limits only stop a hang on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
