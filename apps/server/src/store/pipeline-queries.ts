// Read-only pipeline queries the v4 API needs beyond the pipelines repo: filtered, paginated lists and
// each pipeline's per-project `iid`.

import type { Pipeline, PipelineStatus } from "@buildsim/core";
import type Database from "better-sqlite3";
import type { Db } from "./open-database.js";
import { type PipelineRow, toPipeline } from "./pipelines-repo.js";

/** Filters of `GET /projects/:id/pipelines`. */
export interface PipelineListQuery {
  projectId: number;
  /** Only these statuses (the `status` param, or what `scope` stands for); null for all. */
  statuses: readonly PipelineStatus[] | null;
  ref?: string;
  sha?: string;
  /** `scope=branches` / `scope=tags`. */
  tag?: boolean;
  /** The column to sort by (`order_by`); ties are broken by id in the same direction. */
  orderBy: PipelineOrder;
  /** `sort=desc` (the default) or `asc`. */
  descending: boolean;
}

/** The `order_by` values GitLab accepts for pipelines; each is a column of the table. */
export const PIPELINE_ORDERS = ["id", "status", "ref", "updated_at", "user_id"] as const;
export type PipelineOrder = (typeof PIPELINE_ORDERS)[number];

/** Prepared statements are cached per database, so each query shape is compiled once. */
const cache = new WeakMap<Db, Map<string, Database.Statement>>();
function prepared(db: Db, sql: string): Database.Statement {
  let byDb = cache.get(db);
  if (!byDb) {
    byDb = new Map();
    cache.set(db, byDb);
  }
  let stmt = byDb.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    byDb.set(sql, stmt);
  }
  return stmt;
}

function where(q: PipelineListQuery): { sql: string; args: unknown[] } {
  const parts = ["project_id = ?"];
  const args: unknown[] = [q.projectId];
  if (q.statuses) {
    parts.push(`status IN (${q.statuses.map(() => "?").join(", ")})`);
    args.push(...q.statuses);
  }
  if (q.ref !== undefined) {
    parts.push("ref = ?");
    args.push(q.ref);
  }
  if (q.sha !== undefined) {
    parts.push("sha = ?");
    args.push(q.sha);
  }
  if (q.tag !== undefined) {
    parts.push("tag = ?");
    args.push(q.tag ? 1 : 0);
  }
  return { sql: parts.join(" AND "), args };
}

/** How many pipelines `listPipelines` pages through. */
export function countPipelines(db: Db, q: PipelineListQuery): number {
  const w = where(q);
  return (prepared(db, `SELECT COUNT(*) AS n FROM pipelines WHERE ${w.sql}`).get(...w.args) as { n: number })
    .n;
}

/** One page of a project's pipelines, by id. */
export function listPipelines(db: Db, q: PipelineListQuery, limit: number, offset: number): Pipeline[] {
  const w = where(q);
  const dir = q.descending ? "DESC" : "ASC";
  // orderBy is one of PIPELINE_ORDERS (validated by the route), never free text.
  const order = q.orderBy === "id" ? `id ${dir}` : `${q.orderBy} ${dir}, id ${dir}`;
  const sql = `SELECT * FROM pipelines WHERE ${w.sql} ORDER BY ${order} LIMIT ? OFFSET ?`;
  return (prepared(db, sql).all(...w.args, limit, offset) as PipelineRow[]).map(toPipeline);
}

/** The pipeline's `iid`: its number within its project, counting from 1 in creation order. */
export function pipelineIid(db: Db, pipeline: Pipeline): number {
  const sql = "SELECT COUNT(*) AS n FROM pipelines WHERE project_id = ? AND id <= ?";
  return (prepared(db, sql).get(pipeline.projectId, pipeline.id) as { n: number }).n;
}
