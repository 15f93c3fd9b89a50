// Pipelines: a commit's run of builds, with the status computed from them and saved here.

import type { Pipeline } from "@buildsim/core";
import type { ChangeLog } from "./change-log.js";
import type { Db } from "./open-database.js";
import { type PipelineListQuery, pipelineWhere } from "./pipeline-queries.js";
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

/** Pipelines whose iid is kept at most; past it the memo starts over. */
const MAX_IIDS = 100_000;

/** Reads and writes pipelines. */
export interface PipelinesRepo {
  get(id: number): Pipeline | undefined;
  latestForRef(projectId: number, ref: string): Pipeline | undefined;
  latestSuccessfulForRef(projectId: number, ref: string): Pipeline | undefined;
  insert(p: Pipeline): void;
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
}

/** {@link PipelinesRepo} on SQLite; every write is recorded in `changes` for the read caches. */
export function createPipelinesRepo(db: Db, changes: ChangeLog): PipelinesRepo {
  const byId = db.prepare("SELECT * FROM pipelines WHERE id = ?");
  const latestForRef = db.prepare(
    "SELECT * FROM pipelines WHERE project_id = ? AND ref = ? ORDER BY id DESC LIMIT 1",
  );
  const latestSuccessfulForRef = db.prepare(
    "SELECT * FROM pipelines WHERE project_id = ? AND ref = ? AND status = 'success' ORDER BY id DESC LIMIT 1",
  );
  const insert = db.prepare(
    `INSERT INTO pipelines (id, project_id, sha, ref, tag, before_sha, status, source, user_id, created_at, updated_at, started_at, finished_at, duration, coverage, upstream_bridge_id, upstream_pipeline_id)
     VALUES (@id, @projectId, @sha, @ref, @tag, @beforeSha, @status, @source, @userId, @createdAt, @updatedAt, @startedAt, @finishedAt, @duration, @coverage, @upstreamBridgeId, @upstreamPipelineId)`,
  );
  const update = db.prepare(
    `UPDATE pipelines SET sha = @sha, ref = @ref, tag = @tag, before_sha = @beforeSha, status = @status, source = @source,
     user_id = @userId, updated_at = @updatedAt, started_at = @startedAt, finished_at = @finishedAt, duration = @duration,
     coverage = @coverage WHERE id = @id`,
  );
  const maxId = db.prepare("SELECT COALESCE(MAX(id), 0) AS m FROM pipelines");
  const byBridge = db.prepare(
    "SELECT * FROM pipelines WHERE upstream_bridge_id = ? ORDER BY id DESC LIMIT 1",
  );
  const byUpstream = db.prepare("SELECT * FROM pipelines WHERE upstream_pipeline_id = ? ORDER BY id");
  const iid = db.prepare(
    "SELECT COUNT(*) AS n, EXISTS (SELECT 1 FROM pipelines WHERE id = ? AND project_id = ?) AS present FROM pipelines WHERE project_id = ? AND id <= ?",
  );
  // A pipeline's iid is how many of its project's pipelines are not newer, a count that walks them all:
  // every v4 job entity shows it, so it is kept per pipeline. Only a write the change log cannot describe
  // (a restore) can change it for a stored pipeline — new pipelines take higher ids — so the memo
  // starts over when the global generation moves; a pipeline not (yet) stored is never kept.
  const iids = new Map<number, { projectId: number; iid: number }>();
  let iidsGlobal = -1;
  // List queries vary by how many statuses they filter on and the order; each shape is compiled once.
  const prepared = statementCache(db);

  return {
    get(id: number): Pipeline | undefined {
      const r = byId.get(id) as PipelineRow | undefined;
      return r && toPipeline(r);
    },
    latestForRef(projectId: number, ref: string): Pipeline | undefined {
      const r = latestForRef.get(projectId, ref) as PipelineRow | undefined;
      return r && toPipeline(r);
    },
    latestSuccessfulForRef(projectId: number, ref: string): Pipeline | undefined {
      const r = latestSuccessfulForRef.get(projectId, ref) as PipelineRow | undefined;
      return r && toPipeline(r);
    },
    insert(p: Pipeline): void {
      changes.pipelineChanged(insert.run(toParams(p)).changes, p.id);
    },
    save(p: Pipeline): void {
      changes.pipelineChanged(update.run(toParams(p)).changes, p.id);
    },
    /** `CI_PIPELINE_IID`: the pipeline's number within its project (1 for the first). */
    iidOf(p: Pick<Pipeline, "id" | "projectId">): number {
      if (iidsGlobal !== changes.global || iids.size >= MAX_IIDS) {
        iids.clear();
        iidsGlobal = changes.global;
      }
      const kept = iids.get(p.id);
      // A rolled-back pipeline's id can come back in another project: the project is checked too.
      if (kept?.projectId === p.projectId) return kept.iid;
      const row = iid.get(p.id, p.projectId, p.projectId, p.id) as { n: number; present: number };
      if (row.present === 1) iids.set(p.id, { projectId: p.projectId, iid: row.n });
      return row.n;
    },
    nextId(): number {
      return (maxId.get() as { m: number }).m + 1;
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
