import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    // Each python-gitlab scenario is a child process importing python-gitlab (~0.5 s).
    testTimeout: 30_000,
  },
});
