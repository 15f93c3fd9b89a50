// Which local git work tree backs a project: where local CI reads `.gitlab-ci.yml` and jobs get sources.

import type { Db } from "./sql-db.js";

/** Reads and writes the work tree of local projects. */
export interface ProjectSourcesRepo {
  /** The work tree's absolute path, or undefined for a project without local sources. */
  get(projectId: number): string | undefined;
  set(projectId: number, sourceDir: string): void;
  /** Forgets the project's work tree: it has no local sources any more. */
  delete(projectId: number): void;
}

/** {@link ProjectSourcesRepo} on SQLite. */
export function createProjectSourcesRepo(db: Db): ProjectSourcesRepo {
  const get = db.prepare("SELECT source_dir FROM project_sources WHERE project_id = ?");
  const remove = db.prepare("DELETE FROM project_sources WHERE project_id = ?");
  const set = db.prepare(
    "INSERT INTO project_sources (project_id, source_dir) VALUES (?, ?) ON CONFLICT (project_id) DO UPDATE SET source_dir = excluded.source_dir",
  );
  return {
    /** The work tree's absolute path, or undefined for a project without local sources. */
    get(projectId: number): string | undefined {
      return (get.get(projectId) as { source_dir: string } | undefined)?.source_dir;
    },
    set(projectId: number, sourceDir: string): void {
      set.run(projectId, sourceDir);
    },
    delete(projectId: number): void {
      remove.run(projectId);
    },
  };
}
