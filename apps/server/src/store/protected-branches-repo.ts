// A project's protected branch rules (GitLab's `protected_branches`), one push and one merge level each.

import type { ProtectedAccessLevel, ProtectedBranch } from "@buildsim/core";
import type { Db } from "./sql-db.js";

interface Row {
  id: number;
  project_id: number;
  name: string;
  push_access_level: number;
  merge_access_level: number;
  allow_force_push: number;
}

const fromRow = (r: Row): ProtectedBranch => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  pushAccessLevel: r.push_access_level as ProtectedAccessLevel,
  mergeAccessLevel: r.merge_access_level as ProtectedAccessLevel,
  allowForcePush: r.allow_force_push === 1,
});

/** What a new rule needs; the store assigns its id. */
export type NewProtectedBranch = Omit<ProtectedBranch, "id">;

/** A project's protected branch rules. */
export interface ProtectedBranchesRepo {
  /** The project's rules, oldest first (GitLab's list order). */
  list(projectId: number): ProtectedBranch[];
  /** The rule written exactly as `name` (a wildcard is found by its pattern, not by a branch it matches). */
  get(projectId: number, name: string): ProtectedBranch | undefined;
  /** Adds a rule; the store assigns its id. */
  insert(rule: NewProtectedBranch): ProtectedBranch;
  delete(id: number): void;
}

/** Reads and writes protected branch rules. */
export function createProtectedBranchesRepo(db: Db): ProtectedBranchesRepo {
  const list = db.prepare("SELECT * FROM protected_branches WHERE project_id = ? ORDER BY id");
  const byName = db.prepare("SELECT * FROM protected_branches WHERE project_id = ? AND name = ?");
  const insert = db.prepare(
    `INSERT INTO protected_branches (project_id, name, push_access_level, merge_access_level, allow_force_push)
     VALUES (?, ?, ?, ?, ?) RETURNING id`,
  );
  const remove = db.prepare("DELETE FROM protected_branches WHERE id = ?");
  return {
    /** The project's rules, oldest first (GitLab's list order). */
    list(projectId: number): ProtectedBranch[] {
      return (list.all(projectId) as Row[]).map(fromRow);
    },
    /** The rule written exactly as `name` (a wildcard is found by its pattern, not by a branch it matches). */
    get(projectId: number, name: string): ProtectedBranch | undefined {
      const r = byName.get(projectId, name) as Row | undefined;
      return r && fromRow(r);
    },
    insert(rule: NewProtectedBranch): ProtectedBranch {
      const { id } = insert.get(
        rule.projectId,
        rule.name,
        rule.pushAccessLevel,
        rule.mergeAccessLevel,
        rule.allowForcePush ? 1 : 0,
      ) as { id: number };
      return { ...rule, id };
    },
    delete(id: number): void {
      remove.run(id);
    },
  };
}
