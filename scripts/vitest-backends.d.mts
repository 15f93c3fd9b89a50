// Types of vitest-backends.mjs, for the vitest configs of the suites that run on SQLite and PostgreSQL.
// (Written without vitest's own types: this folder has no vitest of its own to resolve them from.)

/** One vitest project inline in a config's `projects`. */
export interface BackendProject {
  extends: true;
  test: {
    name: "sqlite" | "postgres";
    include: string[];
    exclude: string[];
    globalSetup?: string[];
    env?: Record<string, string>;
  };
}

/** A suite's `sqlite` and `postgres` projects; each leaves out the files only the other backend runs. */
export function backendProjects(options?: {
  sqliteOnly?: string[];
  postgresOnly?: string[];
}): BackendProject[];
