// Deletes a pipeline's rows (GitLab's `pipeline.destroy!`): its builds, bridges and commit statuses with
// their traces, artifact rows, test reports and deployments (the schema's ON DELETE CASCADE), its
// variables, and the build counts they held. Pipelines it started stay, without their upstream link (as
// `ci_sources_pipelines` rows go with their source). Ids and iids are never handed out again.

import { UPSERT_COUNTS } from "./build-counts.js";
import type { Db } from "./sql-db.js";

/** `id_floors` names: the highest build and pipeline id ever used, and each project's highest iid. */
export const BUILD_ID_FLOOR = "builds";
export const PIPELINE_ID_FLOOR = "pipelines";
export const pipelineIidFloor = (projectId: number): string => `pipelines.iid.${projectId}`;

/** `deletePipelineRows(id)`: false when there is no such pipeline. Call inside the store's transaction. */
export function createPipelineDeletion(db: Db, countSlot: number): (pipelineId: number) => boolean {
  const pipelineOf = db.prepare('SELECT project_id AS "projectId", iid FROM pipelines WHERE id = ?');
  // Trigger jobs and commit statuses are never counted (builds-repo's `insert`).
  const counted = db.prepare(
    `SELECT project_id AS "projectId", status, COUNT(*) AS n FROM builds
     WHERE pipeline_id = ? AND trigger_options IS NULL AND external_options IS NULL GROUP BY project_id, status`,
  );
  // In this store's slot, as builds-repo moves counts: the sum over slots drops by what the builds held.
  const uncount = db.prepare(
    `INSERT INTO build_counts (project_id, status, slot, n) VALUES (?, ?, ?, ?) ${UPSERT_COUNTS}`,
  );
  const lastBuild = db.prepare("SELECT MAX(id) AS m FROM builds WHERE pipeline_id = ?");
  const raiseFloor = db.prepare(
    `INSERT INTO id_floors (name, last_id) VALUES (?, ?)
     ON CONFLICT (name) DO UPDATE SET last_id = MAX(id_floors.last_id, excluded.last_id)`,
  );
  const unlinkDownstream = db.prepare(
    "UPDATE pipelines SET upstream_pipeline_id = NULL, upstream_bridge_id = NULL WHERE upstream_pipeline_id = ?",
  );
  const removeBuilds = db.prepare("DELETE FROM builds WHERE pipeline_id = ?");
  const removePipeline = db.prepare("DELETE FROM pipelines WHERE id = ?");

  return (pipelineId: number): boolean => {
    const pipeline = pipelineOf.get(pipelineId) as { projectId: number; iid: number | null } | undefined;
    if (!pipeline) return false;
    for (const c of counted.all(pipelineId) as Array<{ projectId: number; status: string; n: number }>)
      uncount.run(c.projectId, c.status, countSlot, -c.n);
    const last = (lastBuild.get(pipelineId) as { m: number | null }).m;
    if (last !== null) raiseFloor.run(BUILD_ID_FLOOR, last);
    raiseFloor.run(PIPELINE_ID_FLOOR, pipelineId);
    if (pipeline.iid !== null) raiseFloor.run(pipelineIidFloor(pipeline.projectId), pipeline.iid);
    unlinkDownstream.run(pipelineId);
    removeBuilds.run(pipelineId);
    removePipeline.run(pipelineId);
    return true;
  };
}
