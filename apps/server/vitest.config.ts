import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    globalSetup: ["./vitest.global-setup.ts"],
    // Tests await events rather than time; these limits only stop a hang, so they leave room for a
    // loaded two-core CI machine running several packages' suites at once.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
