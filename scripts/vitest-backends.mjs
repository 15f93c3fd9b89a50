// The two vitest projects of every suite that runs on both backends (issue #16): `sqlite`, the embedded
// default, and `postgres`, whose global setup (apps/server/vitest.global-setup.ts) starts one throwaway
// cluster per vitest run; each server then takes a schema of its own in it (test-database.mjs). Written
// once here so that every suite picks its backend the same way.

import { fileURLToPath } from "node:url";

const GLOBAL_SETUP = fileURLToPath(new URL("../apps/server/vitest.global-setup.ts", import.meta.url));

/**
 * `projects` for a suite's vitest config: every `src/**\/*.test.ts` on both backends, except the files a
 * backend leaves out (globs relative to the package). `postgresOnly` files run only on PostgreSQL;
 * `sqliteOnly` files only on SQLite.
 */
export function backendProjects({ sqliteOnly = [], postgresOnly = [] } = {}) {
  const include = ["src/**/*.test.ts"];
  return [
    { extends: true, test: { name: "sqlite", include, exclude: postgresOnly } },
    {
      extends: true,
      test: {
        name: "postgres",
        include,
        exclude: sqliteOnly,
        globalSetup: [GLOBAL_SETUP],
        env: { BUILDSIM_TEST_BACKEND: "postgres" },
      },
    },
  ];
}
