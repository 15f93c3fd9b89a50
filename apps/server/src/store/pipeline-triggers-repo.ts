// A project's pipeline trigger tokens (GitLab's `ci_triggers`) and which pipelines each one ran.

import type { PipelineTrigger } from "@buildsim/core";
import type { Db } from "./sql-db.js";

interface Row {
  id: number;
  project_id: number;
  token: string;
  description: string;
  owner_id: number;
  created_at: string;
  updated_at: string;
}

const fromRow = (r: Row): PipelineTrigger => ({
  id: r.id,
  projectId: r.project_id,
  token: r.token,
  description: r.description,
  ownerId: r.owner_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** What a new trigger needs; the store assigns its id. */
export type NewPipelineTrigger = Omit<PipelineTrigger, "id">;

/** Trigger tokens by project and by token. */
export interface PipelineTriggersRepo {
  /** The project's triggers, oldest first (GitLab's list order). */
  list(projectId: number): PipelineTrigger[];
  get(id: number): PipelineTrigger | undefined;
  /** The trigger whose token is exactly `token`. */
  getByToken(token: string): PipelineTrigger | undefined;
  insert(trigger: NewPipelineTrigger): PipelineTrigger;
  /** Changes the description (the only field GitLab lets a caller change). */
  update(trigger: PipelineTrigger): void;
  delete(id: number): void;
  /** Records that `pipelineId` was run by trigger `triggerId` (GitLab's `ci_pipelines.trigger_id`). */
  linkPipeline(pipelineId: number, triggerId: number): void;
  /** When the newest pipeline the trigger ran was created; null when it never ran one. */
  lastUsed(triggerId: number): string | null;
}

/** Reads and writes trigger tokens. */
export function createPipelineTriggersRepo(db: Db): PipelineTriggersRepo {
  const list = db.prepare("SELECT * FROM pipeline_triggers WHERE project_id = ? ORDER BY id");
  const byId = db.prepare("SELECT * FROM pipeline_triggers WHERE id = ?");
  const byToken = db.prepare("SELECT * FROM pipeline_triggers WHERE token = ?");
  const insert = db.prepare(
    `INSERT INTO pipeline_triggers (project_id, token, description, owner_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
  );
  const update = db.prepare("UPDATE pipeline_triggers SET description = ?, updated_at = ? WHERE id = ?");
  const remove = db.prepare("DELETE FROM pipeline_triggers WHERE id = ?");
  const link = db.prepare("UPDATE pipelines SET trigger_id = ? WHERE id = ?");
  const lastUsed = db
    .prepare("SELECT created_at FROM pipelines WHERE trigger_id = ? ORDER BY id DESC LIMIT 1")
    .pluck();
  return {
    list: (projectId) => (list.all(projectId) as Row[]).map(fromRow),
    get(id) {
      const r = byId.get(id) as Row | undefined;
      return r && fromRow(r);
    },
    getByToken(token) {
      const r = byToken.get(token) as Row | undefined;
      return r && fromRow(r);
    },
    insert(t) {
      const { id } = insert.get(t.projectId, t.token, t.description, t.ownerId, t.createdAt, t.updatedAt) as {
        id: number;
      };
      return { ...t, id };
    },
    update(t) {
      update.run(t.description, t.updatedAt, t.id);
    },
    delete(id) {
      remove.run(id);
    },
    linkPipeline(pipelineId, triggerId) {
      link.run(triggerId, pipelineId);
    },
    lastUsed: (triggerId) => (lastUsed.get(triggerId) as string | undefined) ?? null,
  };
}
