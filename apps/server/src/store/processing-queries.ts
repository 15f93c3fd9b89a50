// The builds repo's queries for pipeline processing: which `created` builds can be decided next and the
// statuses their decision depends on, and what a job takes from the builds before it (its payload's
// dependencies). Each walks an index (migrations 18, 19), so a pipeline whose later stage holds thousands
// of builds costs its earlier builds only what a decision or a payload reads of them; `build_needs`
// (migration 22) finds the created builds that need a job by its name, so a DAG's status change reads its
// dependents, not every build still waiting on `needs`.

import type { Build, BuildStatus } from "@buildsim/core";
import type { BuildsRepo } from "./builds-repo.js";
import type { Db } from "./sql-db.js";
import { statementCache } from "./statement-cache.js";

/** A `created` build that waits on the jobs it `needs` rather than on earlier stages. */
export interface CreatedWithNeeds {
  id: number;
  stageIdx: number;
  needs: string[];
}

/** What a job's payload takes from a build before it: the artifacts to download and its dotenv report. */
export type UpstreamBuild = Pick<
  Build,
  "id" | "name" | "token" | "stageIdx" | "retried" | "artifactsFile" | "dotenvVariables"
>;

type NeedsRow = { id: number; stage_idx: number; needs: string };
const toCreatedWithNeeds = (r: NeedsRow): CreatedWithNeeds => ({
  id: r.id,
  stageIdx: r.stage_idx,
  needs: JSON.parse(r.needs) as string[],
});
/** Names looked up per statement: a round after many builds moved asks for many. */
const NAMES_PER_STATEMENT = 32;

/** A (status, allow_failure) pair: all a composite status depends on. */
type StatusGroup = Pick<Build, "status" | "allowFailure">;
type Pair = { status: BuildStatus; allow_failure: number };

/** The processing queries of {@link BuildsRepo} on SQLite. */
export function createProcessingQueries(
  db: Db,
): Pick<
  BuildsRepo,
  | "lowestCreatedStage"
  | "createdAtStage"
  | "createdWithNeeds"
  | "createdNeeding"
  | "latestStatusGroupsBefore"
  | "latestStatusGroupsNamed"
  | "listUpstream"
> {
  // Each names its index: without statistics SQLite may pick one that walks the pipeline's other builds.
  // A partial index's WHERE is repeated, or SQLite could not use it; ORDER BY with LIMIT 1 stops at the
  // first entry, where MIN() would walk every created row of the pipeline.
  const lowestByStage = db.prepare(
    "SELECT stage_idx AS s FROM builds INDEXED BY builds_created_by_stage WHERE pipeline_id = ? AND status = 'created' AND retried = 0 AND needs IS NULL ORDER BY stage_idx LIMIT 1",
  );
  const lowestWithNeeds = db.prepare(
    "SELECT stage_idx AS s FROM builds INDEXED BY builds_created_with_needs WHERE pipeline_id = ? AND status = 'created' AND retried = 0 AND needs IS NOT NULL ORDER BY stage_idx LIMIT 1",
  );
  const atStage = db.prepare(
    "SELECT id FROM builds INDEXED BY builds_created_by_stage WHERE pipeline_id = ? AND stage_idx = ? AND status = 'created' AND retried = 0 AND needs IS NULL ORDER BY id",
  );
  const withNeeds = db.prepare(
    "SELECT id, stage_idx, needs FROM builds INDEXED BY builds_created_with_needs WHERE pipeline_id = ? AND status = 'created' AND retried = 0 AND needs IS NOT NULL ORDER BY stage_idx, id",
  );
  // From build_needs to builds: CROSS JOIN keeps SQLite from walking every created build with `needs`
  // and probing build_needs for each (PostgreSQL plans the same join by its statistics).
  const prepared = statementCache(db);
  const needing = (names: number) =>
    prepared(
      `SELECT DISTINCT b.id, b.stage_idx, b.needs FROM build_needs n CROSS JOIN builds b WHERE n.pipeline_id = ? AND n.name IN (${Array(names).fill("?").join(", ")}) AND b.id = n.build_id AND b.status = 'created' AND b.retried = 0 ORDER BY b.stage_idx, b.id`,
    );
  // A skip scan over builds_by_pipeline_status_stage, one seek per pair; `created` is left to the
  // partial indexes, since a later stage may hold thousands of created rows the scan would walk.
  const nextStatus = db.prepare(
    "SELECT status, allow_failure FROM builds INDEXED BY builds_by_pipeline_status_stage WHERE pipeline_id = ? AND retried = 0 AND status > ? AND status < ? AND stage_idx < ? ORDER BY status, allow_failure LIMIT 1",
  );
  const nextFlag = db.prepare(
    "SELECT allow_failure FROM builds INDEXED BY builds_by_pipeline_status_stage WHERE pipeline_id = ? AND retried = 0 AND status = ? AND allow_failure > ? AND stage_idx < ? ORDER BY allow_failure LIMIT 1",
  );
  const UPSTREAM =
    "SELECT b.id, b.name, b.token, b.stage_idx, b.dotenv_variables, a.filename AS a_filename, a.size AS a_size FROM builds b LEFT JOIN artifacts a ON a.build_id = b.id";
  const upstreamBefore = db.prepare(
    `${UPSTREAM} WHERE b.pipeline_id = ? AND b.retried = 0 AND b.stage_idx < ? ORDER BY b.id`,
  );
  const upstreamNamed = db.prepare(`${UPSTREAM} WHERE b.pipeline_id = ? AND b.name = ? AND b.retried = 0`);
  const named = db.prepare(
    "SELECT status, allow_failure FROM builds INDEXED BY builds_latest_by_name WHERE pipeline_id = ? AND name = ? AND retried = 0",
  );

  /** The pairs of latest builds below `stageIdx` with a status strictly between `after` and `before`. */
  const pairsBetween = (pipelineId: number, stageIdx: number, after: string, before: string) => {
    const groups: StatusGroup[] = [];
    for (let row = nextStatus.get(pipelineId, after, before, stageIdx) as Pair | undefined; row; ) {
      groups.push({ status: row.status, allowFailure: row.allow_failure === 1 });
      const flag = nextFlag.get(pipelineId, row.status, row.allow_failure, stageIdx) as Pair | undefined;
      if (flag) groups.push({ status: row.status, allowFailure: flag.allow_failure === 1 });
      row = nextStatus.get(pipelineId, row.status, before, stageIdx) as Pair | undefined;
    }
    return groups;
  };

  const lowestCreatedStage = (pipelineId: number): number | null => {
    const a = (lowestByStage.get(pipelineId) as { s: number } | undefined)?.s;
    const b = (lowestWithNeeds.get(pipelineId) as { s: number } | undefined)?.s;
    if (a === undefined) return b ?? null;
    return b === undefined ? a : Math.min(a, b);
  };

  type UpstreamRow = {
    id: number;
    name: string;
    token: string;
    stage_idx: number;
    dotenv_variables: string;
    a_filename: string | null;
    a_size: number | null;
  };
  const toUpstream = (r: UpstreamRow): UpstreamBuild => ({
    id: r.id,
    name: r.name,
    token: r.token,
    stageIdx: r.stage_idx,
    retried: false,
    artifactsFile: r.a_filename === null ? null : { filename: r.a_filename, size: r.a_size ?? 0 },
    dotenvVariables: r.dotenv_variables === "[]" ? [] : JSON.parse(r.dotenv_variables),
  });

  return {
    lowestCreatedStage,
    createdAtStage(pipelineId: number, stageIdx: number): number[] {
      return (atStage.all(pipelineId, stageIdx) as { id: number }[]).map((r) => r.id);
    },
    createdWithNeeds(pipelineId: number): CreatedWithNeeds[] {
      return (withNeeds.all(pipelineId) as NeedsRow[]).map(toCreatedWithNeeds);
    },
    createdNeeding(pipelineId: number, names: readonly string[]): CreatedWithNeeds[] {
      const unique = [...new Set(names)];
      const rows: NeedsRow[] = [];
      // A few statement shapes (one per chunk size up to NAMES_PER_STATEMENT), each a seek per name.
      for (let i = 0; i < unique.length; i += NAMES_PER_STATEMENT) {
        const chunk = unique.slice(i, i + NAMES_PER_STATEMENT);
        rows.push(...(needing(chunk.length).all(pipelineId, ...chunk) as NeedsRow[]));
      }
      // Chunks may name the same build twice; keep stage-then-id order across them.
      const byId = new Map(rows.map((r) => [r.id, r]));
      return [...byId.values()]
        .sort((a, b) => a.stage_idx - b.stage_idx || a.id - b.id)
        .map(toCreatedWithNeeds);
    },
    latestStatusGroupsBefore(pipelineId: number, stageIdx: number): StatusGroup[] {
      // "created" sorts between "canceled" and "failed": scan below and above it, and ask for it apart.
      const groups = pairsBetween(pipelineId, stageIdx, "", "created");
      const lowest = lowestCreatedStage(pipelineId);
      if (lowest !== null && lowest < stageIdx) groups.push({ status: "created", allowFailure: false });
      groups.push(...pairsBetween(pipelineId, stageIdx, "created", "\uffff"));
      return groups;
    },
    latestStatusGroupsNamed(pipelineId: number, names: readonly string[]): StatusGroup[] {
      const groups: StatusGroup[] = [];
      for (const name of new Set(names))
        for (const r of named.all(pipelineId, name) as Pair[])
          groups.push({ status: r.status, allowFailure: r.allow_failure === 1 });
      return groups;
    },
    listUpstream(
      pipelineId: number,
      from: { beforeStage: number } | { names: readonly string[] },
    ): UpstreamBuild[] {
      if ("beforeStage" in from)
        return (upstreamBefore.all(pipelineId, from.beforeStage) as UpstreamRow[]).map(toUpstream);
      const rows: UpstreamRow[] = [];
      for (const name of new Set(from.names))
        rows.push(...(upstreamNamed.all(pipelineId, name) as UpstreamRow[]));
      return rows.sort((a, b) => a.id - b.id).map(toUpstream);
    },
  };
}
