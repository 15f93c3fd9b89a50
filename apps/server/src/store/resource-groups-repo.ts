// Resource groups table: one row per project and `resource_group:` key, created with the first build that
// names it (as GitLab does), holding the group's process mode.

import type { ResourceGroupProcessMode } from "@buildsim/core";
import type { Db } from "./sql-db.js";

/** A project's resource group as stored. */
export interface ResourceGroupRecord {
  id: number;
  projectId: number;
  key: string;
  processMode: ResourceGroupProcessMode;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: number;
  project_id: number;
  key: string;
  process_mode: string;
  created_at: string;
  updated_at: string;
}

const toRecord = (r: Row): ResourceGroupRecord => ({
  id: r.id,
  projectId: r.project_id,
  key: r.key,
  processMode: r.process_mode as ResourceGroupProcessMode,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** `resource_group:` keys per project and their process modes. */
export interface ResourceGroupsRepo {
  /** Creates the group on first use; a no-op when it exists. */
  ensure(projectId: number, key: string, at: string): void;
  get(projectId: number, key: string): ResourceGroupRecord | undefined;
  list(projectId: number): ResourceGroupRecord[];
  /** The group's process mode; `unordered` (GitLab's default) for a group not stored yet. */
  processMode(projectId: number, key: string): ResourceGroupProcessMode;
  setProcessMode(projectId: number, key: string, mode: ResourceGroupProcessMode, at: string): void;
}

/** {@link ResourceGroupsRepo} on SQLite. */
export function createResourceGroupsRepo(db: Db): ResourceGroupsRepo {
  const ensure = db.prepare(
    "INSERT INTO resource_groups (project_id, key, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (project_id, key) DO NOTHING",
  );
  const byKey = db.prepare("SELECT * FROM resource_groups WHERE project_id = ? AND key = ?");
  const byProject = db.prepare("SELECT * FROM resource_groups WHERE project_id = ? ORDER BY id");
  const setMode = db.prepare(
    "UPDATE resource_groups SET process_mode = ?, updated_at = ? WHERE project_id = ? AND key = ?",
  );
  return {
    /** Creates the group on first use; a no-op when it exists. */
    ensure(projectId: number, key: string, at: string): void {
      ensure.run(projectId, key, at, at);
    },
    get(projectId: number, key: string): ResourceGroupRecord | undefined {
      const row = byKey.get(projectId, key) as Row | undefined;
      return row && toRecord(row);
    },
    list(projectId: number): ResourceGroupRecord[] {
      return (byProject.all(projectId) as Row[]).map(toRecord);
    },
    /** The group's process mode; `unordered` (GitLab's default) for a group not stored yet. */
    processMode(projectId: number, key: string): ResourceGroupProcessMode {
      const row = byKey.get(projectId, key) as Row | undefined;
      return (row?.process_mode as ResourceGroupProcessMode | undefined) ?? "unordered";
    },
    setProcessMode(projectId: number, key: string, mode: ResourceGroupProcessMode, at: string): void {
      setMode.run(mode, at, projectId, key);
    },
  };
}
