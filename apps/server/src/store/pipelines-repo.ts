// Pipelines: a commit's run of builds, with the status computed from them and saved here.

import type { Pipeline } from "@buildsim/core";
import type { ChangeLog } from "./change-log.js";
import { createPipelineDeletion, PIPELINE_ID_FLOOR, pipelineIidFloor } from "./pipeline-deletion.js";
import { type PipelineListQuery, pipelineWhere } from "./pipeline-queries.js";
import type { Db } from "./sql-db.js";
import { statementCache } from "./statement-cache.js";

/** A `pipelines` row as SQLite returns it. */
export interface PipelineRow {
  id: number;
  project_id: number;
  sha: string;
  ref: string;
  tag: number;
  before_sha: string | null;
  status: string;
  source: string;
  user_id: number | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration: number | null;
  coverage: number | null;
  upstream_bridge_id: number | null;
  upstream_pipeline_id: number | null;
}

/** A row as the domain's Pipeline. */
export const toPipeline = (r: PipelineRow): Pipeline => ({
  id: r.id,
  projectId: r.project_id,
  sha: r.sha,
  ref: r.ref,
  tag: r.tag === 1,
  beforeSha: r.before_sha,
  status: r.status as Pipeline["status"],
  source: r.source,
  userId: r.user_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  duration: r.duration,
  coverage: r.coverage,
  upstreamBridgeId: r.upstream_bridge_id,
  upstreamPipelineId: r.upstream_pipeline_id,
});

const toParams = (p: Pipeline) => ({ ...p, tag: p.tag ? 1 : 0 });

/** Reads and writes pipelines. */
export interface PipelinesRepo {
  get(id: number): Pipeline | undefined;
  latestForRef(projectId: number, ref: string): Pipeline | undefined;
  latestSuccessfulForRef(projectId: number, ref: string): Pipeline | undefined;
  /** Stores `p` as the project's pipeline number `iid` (default: one past the highest so far). */
  insert(p: Pipeline, iid?: number | null): void;
  save(p: Pipeline): void;
  /** `CI_PIPELINE_IID`: the pipeline's number within its project (1 for the first). */
  iidOf(p: Pick<Pipeline, "id" | "projectId">): number;
  nextId(): number;
  /** How many pipelines `list` pages through. */
  count(q: PipelineListQuery): number;
  /** One page of a project's pipelines, filtered and ordered as `q` says. */
  list(q: PipelineListQuery, limit: number, offset: number): Pipeline[];
  /** The downstream pipeline a trigger job (bridge) created (`bridge.downstream_pipeline`). */
  downstreamOf(bridgeId: number): Pipeline | undefined;
  /** Pipelines the bridges of `pipelineId` created, oldest first (`pipeline.downstream_pipelines`). */
  listDownstream(pipelineId: number): Pipeline[];
  /**
   * Deletes the pipeline with its builds and everything of theirs but artifact files (see
   * `pipeline-deletion.ts`); false when there is none. Caches see it as a change of everything.
   */
  delete(pipelineId: number): boolean;
  /** Every pipeline, by id (a state export). */
  listAll(): Pipeline[];
}

/** {@link PipelinesRepo} on SQLite; every write is recorded in `changes` for the read caches. */
export function createPipelinesRepo(db: Db, changes: ChangeLog, countSlot = 0): PipelinesRepo {
  const byId = db.prepare("SELECT * FROM pipelines WHERE id = ?");
  const all = db.prepare("SELECT * FROM pipelines ORDER BY id");
  const latestForRef = db.prepare(
    "SELECT * FROM pipelines WHERE project_id = ? AND ref = ? ORDER BY id DESC LIMIT 1",
  );
  const latestSuccessfulForRef = db.prepare(
    "SELECT * FROM pipelines WHERE project_id = ? AND ref = ? AND status = 'success' ORDER BY id DESC LIMIT 1",
  );
  const insert = db.prepare(
    `INSERT INTO pipelines (id, project_id, sha, ref, tag, before_sha, status, source, user_id, created_at, updated_at, started_at, finished_at, duration, coverage, upstream_bridge_id, upstream_pipeline_id, iid)
     VALUES (@id, @projectId, @sha, @ref, @tag, @beforeSha, @status, @source, @userId, @createdAt, @updatedAt, @startedAt, @finishedAt, @duration, @coverage, @upstreamBridgeId, @upstreamPipelineId, @iid)`,
  );
  const update = db.prepare(
    `UPDATE pipelines SET sha = @sha, ref = @ref, tag = @tag, before_sha = @beforeSha, status = @status, source = @source,
     user_id = @userId, updated_at = @updatedAt, started_at = @startedAt, finished_at = @finishedAt, duration = @duration,
     coverage = @coverage WHERE id = @id`,
  );
  // Past the highest id a deleted pipeline took with it, too.
  const maxId = db.prepare(
    "SELECT MAX(COALESCE((SELECT MAX(id) FROM pipelines), 0), COALESCE((SELECT last_id FROM id_floors WHERE name = ?), 0)) AS m",
  );
  const maxIid = db.prepare(
    "SELECT MAX(COALESCE((SELECT MAX(iid) FROM pipelines WHERE project_id = ?), 0), COALESCE((SELECT last_id FROM id_floors WHERE name = ?), 0)) AS m",
  );
  const storedIid = db.prepare("SELECT iid FROM pipelines WHERE id = ?");
  const byBridge = db.prepare(
    "SELECT * FROM pipelines WHERE upstream_bridge_id = ? ORDER BY id DESC LIMIT 1",
  );
  const byUpstream = db.prepare("SELECT * FROM pipelines WHERE upstream_pipeline_id = ? ORDER BY id");
  // List queries vary by how many statuses they filter on and the order; each shape is compiled once.
  const prepared = statementCache(db);
  const deleteRows = createPipelineDeletion(db, countSlot);
  /**
   * The iid of each pipeline object `get` returned, from the row it was made of (`SELECT *` has it): a
   * job payload asks for the iid of the pipeline it just read, and on PostgreSQL each read is a round
   * trip. Keyed by the object, so it is never older than the pipeline the caller holds.
   */
  const iidsRead = new WeakMap<Pipeline, number>();

  return {
    get(id: number): Pipeline | undefined {
      const r = byId.get(id) as (PipelineRow & { iid: number | null }) | undefined;
      if (!r) return undefined;
      const pipeline = toPipeline(r);
      if (r.iid !== null) iidsRead.set(pipeline, r.iid);
      return pipeline;
    },
    latestForRef(projectId: number, ref: string): Pipeline | undefined {
      const r = latestForRef.get(projectId, ref) as PipelineRow | undefined;
      return r && toPipeline(r);
    },
    latestSuccessfulForRef(projectId: number, ref: string): Pipeline | undefined {
      const r = latestSuccessfulForRef.get(projectId, ref) as PipelineRow | undefined;
      return r && toPipeline(r);
    },
    insert(p: Pipeline, givenIid?: number | null): void {
      const iid = givenIid ?? (maxIid.get(p.projectId, pipelineIidFloor(p.projectId)) as { m: number }).m + 1;
      changes.pipelineChanged(insert.run({ ...toParams(p), iid }).changes, p.id);
    },
    save(p: Pipeline): void {
      changes.pipelineChanged(update.run(toParams(p)).changes, p.id);
    },
    /** `CI_PIPELINE_IID`: the pipeline's number within its project (1 for the first). */
    iidOf(p: Pick<Pipeline, "id" | "projectId">): number {
      const read = iidsRead.get(p as Pipeline);
      if (read !== undefined) return read;
      // Every stored pipeline has its iid since migration 20 (numbered then, given at insert after).
      const stored = (storedIid.get(p.id) as { iid: number | null } | undefined)?.iid;
      if (stored === undefined || stored === null) throw new Error(`pipeline ${p.id} is not stored`);
      return stored;
    },
    nextId(): number {
      return (maxId.get(PIPELINE_ID_FLOOR) as { m: number }).m + 1;
    },
    /** The downstream pipeline a trigger job (bridge) created (`bridge.downstream_pipeline`). */
    downstreamOf(bridgeId: number): Pipeline | undefined {
      const r = byBridge.get(bridgeId) as PipelineRow | undefined;
      return r && toPipeline(r);
    },
    /** Pipelines the bridges of `pipelineId` created, oldest first (`pipeline.downstream_pipelines`). */
    listDownstream(pipelineId: number): Pipeline[] {
      return (byUpstream.all(pipelineId) as PipelineRow[]).map(toPipeline);
    },
    // Not described to the change log on purpose: rows of many builds go, so every cache starts over.
    delete: deleteRows,
    listAll(): Pipeline[] {
      return (all.all() as PipelineRow[]).map(toPipeline);
    },
    count(q: PipelineListQuery): number {
      const w = pipelineWhere(q);
      return (prepared(`SELECT COUNT(*) AS n FROM pipelines WHERE ${w.sql}`).get(...w.args) as { n: number })
        .n;
    },
    list(q: PipelineListQuery, limit: number, offset: number): Pipeline[] {
      const w = pipelineWhere(q);
      const dir = q.descending ? "DESC" : "ASC";
      // orderBy is one of PIPELINE_ORDERS (validated by the route), never free text.
      const order = q.orderBy === "id" ? `id ${dir}` : `${q.orderBy} ${dir}, id ${dir}`;
      const sql = `SELECT * FROM pipelines WHERE ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`;
      return (prepared(sql).all(...w.args, limit, offset) as PipelineRow[]).map(toPipeline);
    },
  };
}
