// Runners and the projects a specific runner serves. Each write tells the change log what it changed
// for build entities: a shown field (or the runner itself), only its last contact, or nothing shown.

import type { Runner } from "@buildsim/core";
import type { ChangeLog } from "./change-log.js";
import type { Db } from "./sql-db.js";

interface RunnerRow {
  id: number;
  token: string;
  description: string;
  active: number;
  is_shared: number;
  name: string | null;
  tag_list: string;
  run_untagged: number;
  locked: number;
  version: string | null;
  revision: string | null;
  platform: string | null;
  architecture: string | null;
  contacted_at: string | null;
}

/** Reads and writes runners. */
export interface RunnersRepo {
  get(id: number): Runner | undefined;
  getByToken(token: string): Runner | undefined;
  insert(runner: Runner): void;
  save(runner: Runner): void;
  /** Every runner, oldest first (GitLab's runner lists order by id). */
  list(): Runner[];
  nextId(): number;
  /** Removes the runner (`DELETE /api/v4/runners`); its builds keep their `runner_id`. */
  delete(id: number): void;
}

/** {@link RunnersRepo} on SQLite. */
export function createRunnersRepo(db: Db, changes: ChangeLog): RunnersRepo {
  const byId = db.prepare("SELECT * FROM runners WHERE id = ?");
  const byToken = db.prepare("SELECT * FROM runners WHERE token = ?");
  const projectsOf = db.prepare(
    "SELECT project_id FROM runner_projects WHERE runner_id = ? ORDER BY project_id",
  );
  const insert = db.prepare(
    `INSERT INTO runners (id, token, description, active, is_shared, name, tag_list, run_untagged, locked, version, revision, platform, architecture, contacted_at)
     VALUES (@id, @token, @description, @active, @isShared, @name, @tagList, @runUntagged, @locked, @version, @revision, @platform, @architecture, @contactedAt)`,
  );
  const update = db.prepare(
    `UPDATE runners SET description = @description, active = @active, is_shared = @isShared, name = @name, tag_list = @tagList,
     run_untagged = @runUntagged, locked = @locked, version = @version, revision = @revision, platform = @platform,
     architecture = @architecture, contacted_at = @contactedAt WHERE id = @id`,
  );
  const insertProject = db.prepare(
    "INSERT INTO runner_projects (runner_id, project_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
  );
  const allById = db.prepare("SELECT * FROM runners ORDER BY id");
  const maxId = db.prepare("SELECT COALESCE(MAX(id), 0) AS m FROM runners");
  const remove = db.prepare("DELETE FROM runners WHERE id = ?");

  const toRunner = (r: RunnerRow): Runner => ({
    id: r.id,
    token: r.token,
    description: r.description,
    active: r.active === 1,
    isShared: r.is_shared === 1,
    name: r.name,
    tagList: JSON.parse(r.tag_list),
    runUntagged: r.run_untagged === 1,
    locked: r.locked === 1,
    version: r.version,
    revision: r.revision,
    platform: r.platform,
    architecture: r.architecture,
    contactedAt: r.contacted_at,
    projectIds: (projectsOf.all(r.id) as { project_id: number }[]).map((p) => p.project_id),
  });
  /** How saving `next` over row `old` changes what build entities show of the runner. */
  const describe = (rows: number, old: RunnerRow | undefined, next: Runner): void => {
    if (
      !old ||
      old.description !== next.description ||
      old.active !== (next.active ? 1 : 0) ||
      old.is_shared !== (next.isShared ? 1 : 0) ||
      old.name !== next.name ||
      (old.contacted_at !== null && (next.contactedAt === null || next.contactedAt < old.contacted_at))
    ) {
      changes.runnerChanged(rows, next.id);
    } else if (old.contacted_at !== next.contactedAt) {
      // A later contact only keeps an online runner online (entities shown online expire by the clock on
      // their own) or turns one shown offline online: the latter depend on this generation.
      changes.runnerContacted(rows, next.id);
    } else changes.uncached(rows);
  };
  /** Links `runner` to its projects (no build entity shows them); the rows written. */
  const linkProjects = (runner: Runner): number => {
    let rows = 0;
    for (const p of runner.projectIds) rows += insertProject.run(runner.id, p).changes;
    return rows;
  };
  const toParams = (r: Runner) => ({
    ...r,
    active: r.active ? 1 : 0,
    isShared: r.isShared ? 1 : 0,
    tagList: JSON.stringify(r.tagList),
    runUntagged: r.runUntagged ? 1 : 0,
    locked: r.locked ? 1 : 0,
  });

  return {
    get(id: number): Runner | undefined {
      const r = byId.get(id) as RunnerRow | undefined;
      return r && toRunner(r);
    },
    getByToken(token: string): Runner | undefined {
      const r = byToken.get(token) as RunnerRow | undefined;
      return r && toRunner(r);
    },
    insert(runner: Runner): void {
      // A new runner may take a deleted one's id, which builds still name.
      changes.runnerChanged(insert.run(toParams(runner)).changes, runner.id);
      changes.uncached(linkProjects(runner));
    },
    save(runner: Runner): void {
      const old = byId.get(runner.id) as RunnerRow | undefined;
      describe(update.run(toParams(runner)).changes, old, runner);
      changes.uncached(linkProjects(runner));
    },
    /** Every runner, oldest first (GitLab's runner lists order by id). */
    list(): Runner[] {
      return (allById.all() as RunnerRow[]).map(toRunner);
    },
    nextId(): number {
      return (maxId.get() as { m: number }).m + 1;
    },
    delete(id: number): void {
      // Builds keep the id: their entities now show no runner.
      changes.runnerChanged(remove.run(id).changes, id);
    },
  };
}
