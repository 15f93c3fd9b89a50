// The filters of the pipelines repo's `list` and `count` (`GET /projects/:id/pipelines`, `needs:project`).

import type { PipelineStatus } from "@buildsim/core";

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

/** The `WHERE` clause (without the keyword) and its arguments for `q`. */
export function pipelineWhere(q: PipelineListQuery): { sql: string; args: unknown[] } {
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
