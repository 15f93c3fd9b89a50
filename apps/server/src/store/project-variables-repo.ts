// A project's CI/CD variables (GitLab's `ci_variables`): unique per key and environment scope.

import type { ProjectVariable } from "@buildsim/core";
import type { Db } from "./sql-db.js";

interface Row {
  project_id: number;
  key: string;
  value: string;
  variable_type: string;
  protected: number;
  masked: number;
  raw: number;
  environment_scope: string;
  description: string | null;
}

const fromRow = (r: Row): ProjectVariable => ({
  projectId: r.project_id,
  key: r.key,
  value: r.value,
  variableType: r.variable_type === "file" ? "file" : "env_var",
  protected: r.protected === 1,
  masked: r.masked === 1,
  raw: r.raw === 1,
  environmentScope: r.environment_scope,
  description: r.description,
});

const toRow = (v: ProjectVariable) => ({
  project_id: v.projectId,
  key: v.key,
  value: v.value,
  variable_type: v.variableType,
  protected: v.protected ? 1 : 0,
  masked: v.masked ? 1 : 0,
  raw: v.raw ? 1 : 0,
  environment_scope: v.environmentScope,
  description: v.description,
});

/** Reads and writes project variables. */
export interface ProjectVariablesRepo {
  /** Every variable of the project, in creation order. */
  list(projectId: number): ProjectVariable[];
  insert(variable: ProjectVariable): void;
  /** Replaces the variable `key` of scope `scope` by `variable` (which may move it to another scope). */
  update(key: string, scope: string, variable: ProjectVariable): void;
  delete(projectId: number, key: string, scope: string): void;
  /** Replaces all of a project's variables (a variables file is the whole truth for a local run). */
  replaceAll(projectId: number, variables: readonly ProjectVariable[]): void;
}

/** {@link ProjectVariablesRepo} on SQLite. */
export function createProjectVariablesRepo(db: Db): ProjectVariablesRepo {
  const list = db.prepare("SELECT * FROM project_variables WHERE project_id = ? ORDER BY rowid");
  const insert = db.prepare(
    `INSERT INTO project_variables (project_id, key, value, variable_type, protected, masked, raw, environment_scope, description)
     VALUES (@project_id, @key, @value, @variable_type, @protected, @masked, @raw, @environment_scope, @description)`,
  );
  const update = db.prepare(
    `UPDATE project_variables SET value = @value, variable_type = @variable_type, protected = @protected,
       masked = @masked, raw = @raw, environment_scope = @environment_scope, description = @description
     WHERE project_id = @project_id AND key = @old_key AND environment_scope = @old_scope`,
  );
  const remove = db.prepare(
    "DELETE FROM project_variables WHERE project_id = ? AND key = ? AND environment_scope = ?",
  );
  const removeAll = db.prepare("DELETE FROM project_variables WHERE project_id = ?");
  return {
    /** Every variable of the project, in creation order. */
    list(projectId: number): ProjectVariable[] {
      return (list.all(projectId) as Row[]).map(fromRow);
    },
    insert(variable: ProjectVariable): void {
      insert.run(toRow(variable));
    },
    /** Replaces the variable `key` of scope `scope` by `variable` (which may move it to another scope). */
    update(key: string, scope: string, variable: ProjectVariable): void {
      update.run({ ...toRow(variable), old_key: key, old_scope: scope });
    },
    delete(projectId: number, key: string, scope: string): void {
      remove.run(projectId, key, scope);
    },
    /** Replaces all of a project's variables (a variables file is the whole truth for a local run). */
    replaceAll(projectId: number, variables: readonly ProjectVariable[]): void {
      removeAll.run(projectId);
      for (const v of variables) insert.run(toRow(v));
    },
  };
}
