// Builds table: the Build record as rows, lookups the API needs, and per-project status counts kept in
// the same transaction as every insert or status change (so list pagination never runs COUNT(*)).

import type { Build, BuildStatus } from "@buildsim/core";
import { UPSERT_COUNTS } from "./build-counts.js";
import { createBuildQueueQueries } from "./build-queue-queries.js";
import { COLUMNS, type RawBuildRow, SELECT, toBuild, toParams } from "./build-rows.js";
import type { ChangeLog } from "./change-log.js";
import { BUILD_ID_FLOOR } from "./pipeline-deletion.js";
import { type CreatedWithNeeds, createProcessingQueries, type UpstreamBuild } from "./processing-queries.js";
import type { Db } from "./sql-db.js";
import { statementCache } from "./statement-cache.js";

/** The columns of what `applyBuildEvent` may change (its `build` fields), as a status change writes them. */
const TRANSITION_COLUMNS = [
  "status",
  "allow_failure",
  "queued_at",
  "scheduled_at",
  "started_at",
  "finished_at",
  "failure_reason",
  "exit_code",
  "runner_id",
  "user_id",
] as const;

/** What runner matching reads of a pending build. */
export interface PendingCandidate {
  projectId: number;
  tagList: string[];
}

/** What the watchdog reads of a running build. */
export interface RunningBuild {
  id: number;
  runnerId: number | null;
  startedAt: string | null;
  /** The build's `timeout`, in seconds. */
  timeoutS: number;
}

/** Filters for listing a project's builds. */
export interface BuildListQuery {
  projectId: number;
  /** Only these statuses; null for all. */
  statuses: readonly BuildStatus[] | null;
  /** Only builds of this commit sha (the commit-builds endpoint). */
  sha?: string;
  limit: number;
  offset: number;
}

/** Reads and writes builds; every write keeps `build_counts` in step. */
export interface BuildsRepo {
  get(id: number): Build | undefined;
  getByToken(token: string): Build | undefined;
  listByPipeline(pipelineId: number): Build[];
  /** How many builds of a pipeline are named `name`, retried ones included (a job's attempts so far). */
  countNamed(pipelineId: number, name: string): number;
  /**
   * The distinct (status, allowFailure) pairs of a pipeline's latest builds (retried ones left out):
   * all a composite status needs, without reading the rows, so a status change in a pipeline of
   * thousands of builds costs an index walk, not thousands of row reads.
   */
  latestStatusGroups(pipelineId: number): Array<Pick<Build, "status" | "allowFailure">>;
  /** The latest builds of a pipeline in `status`, by id (the skipped builds a retry re-opens). */
  latestInStatus(pipelineId: number, status: BuildStatus): Build[];
  /** Whether any latest build of the pipeline is still `created` (processing has something to decide). */
  hasCreated(pipelineId: number): boolean;
  /** The lowest stage holding a latest `created` build, or null (nothing left for processing to decide). */
  lowestCreatedStage(pipelineId: number): number | null;
  /** Ids of the latest `created` builds of one stage that wait on earlier stages (no `needs`), by id. */
  createdAtStage(pipelineId: number, stageIdx: number): number[];
  /** The latest `created` builds that wait on their `needs`, by stage and id. */
  createdWithNeeds(pipelineId: number): CreatedWithNeeds[];
  /** {@link createdWithNeeds} of just those whose `needs` name one of `names`, by stage and id. */
  createdNeeding(pipelineId: number, names: readonly string[]): CreatedWithNeeds[];
  /** {@link latestStatusGroups} of the builds in stages before `stageIdx` only. */
  latestStatusGroupsBefore(
    pipelineId: number,
    stageIdx: number,
  ): Array<Pick<Build, "status" | "allowFailure">>;
  /**
   * The latest builds a job may take artifacts and dotenv variables from: those of the stages before
   * `beforeStage`, or those named `names` (its `needs`), by id.
   */
  listUpstream(
    pipelineId: number,
    from: { beforeStage: number } | { names: readonly string[] },
  ): UpstreamBuild[];
  /** The (status, allowFailure) pairs of the latest builds named `names` (a job's `needs`). */
  latestStatusGroupsNamed(
    pipelineId: number,
    names: readonly string[],
  ): Array<Pick<Build, "status" | "allowFailure">>;
  /** Pending builds, oldest first (a runner's queue). */
  /** A runner's builds in one status, newest first (`GET /runners/:id/jobs?status=`). */
  listByRunner(runnerId: number, status: BuildStatus): Build[];
  listPending(): Build[];
  /** Scheduled builds whose countdown ended at or before `at`, the earliest first. */
  listScheduledDue(at: string): Build[];
  /** When the next countdown ends, or null when no build is scheduled. */
  nextScheduledAt(): string | null;
  /** A project's builds of one resource group that wait for, or hold, its resource; oldest first. */
  listResourceGroupActive(projectId: number, group: string): Build[];
  /** The id the next inserted build gets. */
  nextId(): number;
  insert(build: Build): void;
  /** Saves every field of `build`; moves its count when the status changed. */
  save(build: Build): void;
  /**
   * Saves a status change: `next` is `stored` (the row as stored) after `applyBuildEvent`, so only the
   * columns the build machine changes are written; moves its count. A row that no longer holds
   * `stored`'s status is read and saved whole, as `save` does.
   */
  saveTransition(next: Build, stored: Build): void;
  /**
   * Marks `build` retried (a newer attempt took its place), writing that one column: a whole-row save
   * would rewrite every index entry of the row.
   */
  markRetried(build: Pick<Build, "id" | "pipelineId">): void;
  /** Builds of a project (optionally one sha), newest first. */
  list(q: BuildListQuery): Build[];
  /** How many builds `list` would page through, from the cached counts (sha lists count directly). */
  count(q: Omit<BuildListQuery, "limit" | "offset">): number;
  /** The id of the oldest pending build `accepts` takes, or undefined (the claim's queue walk). */
  firstPending(accepts: (candidate: PendingCandidate) => boolean): number | undefined;
  /** Every running build. */
  listRunning(): RunningBuild[];
  /** Up to `limit` running builds with an id above `afterId`, by id (the watchdog's batches). */
  listRunningAfter(afterId: number, limit: number): RunningBuild[];
  /** The running build that started last (the clock control may not go back past it). */
  lastStartedRunning(): { id: number; startedAt: string } | undefined;
  /** Every build, by id (a state export). */
  listAll(): Build[];
  /** The ids `list` would return, without reading the rows (the entity cache has most of them). */
  listIds(q: BuildListQuery): number[];
  /** A pipeline's builds as id, status and `retried`, oldest first (its job list without the rows). */
  pipelineMembers(pipelineId: number): Array<{ id: number; status: BuildStatus; retried: boolean }>;
  /** Builds running on `runnerId` with their stored trace length, by id (a reconnecting runner's resume). */
  runningOn(runnerId: number): Array<{ buildId: number; traceBytes: number }>;
}

/** {@link BuildsRepo} on SQLite; every write is recorded in `changes` for the read caches. */
export function createBuildsRepo(db: Db, changes: ChangeLog, countSlot = 0): BuildsRepo {
  /** A statement reading whole builds ({@link SELECT}), answering raw rows for {@link toBuild}. */
  const buildRows = (sql: string) => db.prepare(sql).raw();
  const byId = buildRows(`${SELECT} WHERE b.id = ?`);
  const byToken = buildRows(`${SELECT} WHERE b.token = ?`);
  const byPipeline = buildRows(`${SELECT} WHERE b.pipeline_id = ? ORDER BY b.id`);
  const namedIn = db.prepare("SELECT COUNT(*) AS n FROM builds WHERE pipeline_id = ? AND name = ?");
  // A skip scan over builds_by_pipeline_status_stage, one seek per distinct status and two for its
  // allow_failure values, in one statement (a recursive CTE: each step seeks the next status above the
  // last), so it is one round trip on PostgreSQL. (A row-value `>` on both columns would walk every row of
  // the current status: SQLite seeks on `status` alone.)
  const LATEST =
    "FROM builds INDEXED BY builds_by_pipeline_status_stage WHERE pipeline_id = @p AND retried = 0";
  const statusGroups = db.prepare(
    `WITH RECURSIVE s(status) AS (
       SELECT (SELECT status ${LATEST} ORDER BY status LIMIT 1)
       UNION ALL
       SELECT (SELECT status ${LATEST} AND status > s.status ORDER BY status LIMIT 1) FROM s WHERE s.status IS NOT NULL
     )
     SELECT status,
       (SELECT allow_failure ${LATEST} AND status = s.status ORDER BY allow_failure LIMIT 1) AS lo,
       (SELECT allow_failure ${LATEST} AND status = s.status ORDER BY allow_failure DESC LIMIT 1) AS hi
     FROM s WHERE status IS NOT NULL ORDER BY status`,
  );
  // The ids from the status index first: without statistics SQLite would walk the whole pipeline.
  const latestIn = buildRows(
    `${SELECT} WHERE b.id IN (SELECT id FROM builds INDEXED BY builds_by_pipeline_status_stage WHERE pipeline_id = ? AND retried = 0 AND status = ?) ORDER BY b.id`,
  );
  const createdIn = db.prepare(
    "SELECT 1 FROM builds WHERE pipeline_id = ? AND status = 'created' AND retried = 0 LIMIT 1",
  );
  const runningAfter = db.prepare(
    // Aliases are quoted: PostgreSQL folds unquoted names to lower case.
    `SELECT id, runner_id AS "runnerId", started_at AS "startedAt", timeout_s AS "timeoutS" FROM builds WHERE status = 'running' AND external_options IS NULL AND id > ? ORDER BY id LIMIT ?`,
  );
  const allBuilds = buildRows(`${SELECT} ORDER BY b.id`);
  const lastStarted = db.prepare(
    `SELECT id, started_at AS "startedAt" FROM builds WHERE status = 'running' AND started_at IS NOT NULL ORDER BY started_at DESC LIMIT 1`,
  );
  // Trigger jobs are not in a pipeline's job list (GitLab's `pipeline.builds`; they have `/bridges`).
  const membersOf = db.prepare(
    "SELECT id, status, retried FROM builds WHERE pipeline_id = ? AND trigger_options IS NULL AND external_options IS NULL ORDER BY id",
  );
  const byRunnerAndStatus = buildRows(`${SELECT} WHERE b.runner_id = ? AND b.status = ? ORDER BY b.id DESC`);
  const insert = db.prepare(
    `INSERT INTO builds (${COLUMNS.join(", ")}) VALUES (${COLUMNS.map((c) => `@${c}`).join(", ")})`,
  );
  const update = db.prepare(
    `UPDATE builds SET ${COLUMNS.filter((c) => c !== "id")
      .map((c) => `${c} = @${c}`)
      .join(", ")} WHERE id = @id`,
  );
  // `needs` are fixed when a build is created (a retry copies them into a new build): written once here.
  const insertNeed = db.prepare("INSERT INTO build_needs (pipeline_id, name, build_id) VALUES (?, ?, ?)");
  // Counts move in this store's slot (`countSlot`, see migration 21); a count is the sum of its slots.
  const bump = db.prepare(
    `INSERT INTO build_counts (project_id, status, slot, n) VALUES (?, ?, ?, ?) ${UPSERT_COUNTS}`,
  );
  // A status change moves one build from one count to the other in one statement (one round trip).
  const move = db.prepare(
    `INSERT INTO build_counts (project_id, status, slot, n) VALUES (?, ?, ?, -1), (?, ?, ?, 1) ${UPSERT_COUNTS}`,
  );
  // What `applyBuildEvent` changes of a build. A status change writes these columns only: a whole-row
  // update rewrites the row's entry in every index (~290 against ~165 µs per update and commit on the
  // mixed benchmark's data), and a claim, a finish or a requeue is one status change each. It applies
  // only if the row still has the caller's status, so counts move as a read of the row would say.
  const updateTransition = db.prepare(
    `UPDATE builds SET ${TRANSITION_COLUMNS.map((c) => `${c} = @${c}`).join(", ")} WHERE id = @id AND status = @stored_status AND project_id = @stored_project_id`,
  );
  // Counts of runnable builds only: trigger jobs are never counted (see `insert`), as `list` never shows them.
  const countRows = db.prepare(
    "SELECT status, SUM(n) AS n FROM build_counts WHERE project_id = ? GROUP BY status",
  );
  // Past the highest id a deleted pipeline took with it, too (ids are never handed out twice).
  const maxId = db.prepare(
    `SELECT MAX(COALESCE((SELECT MAX(id) FROM builds), 0), COALESCE((SELECT last_id FROM id_floors WHERE name = '${BUILD_ID_FLOOR}'), 0)) AS m`,
  );
  const statusOf = db.prepare("SELECT status, project_id FROM builds WHERE id = ?");
  const setRetried = db.prepare("UPDATE builds SET retried = 1 WHERE id = ? AND retried = 0");
  // A trigger job (bridge) is pending while its downstream pipeline is created; no runner takes it.
  const pendingOldest = buildRows(
    `${SELECT} WHERE b.status = 'pending' AND b.trigger_options IS NULL AND b.external_options IS NULL ORDER BY b.id`,
  );
  const scheduledDue = buildRows(
    `${SELECT} WHERE b.status = 'scheduled' AND b.scheduled_at <= ? ORDER BY b.scheduled_at, b.id`,
  );
  const nextScheduled = db.prepare("SELECT MIN(scheduled_at) AS at FROM builds WHERE status = 'scheduled'");
  const inResourceGroup = buildRows(
    `${SELECT} WHERE b.project_id = ? AND b.resource_group = ? AND b.status IN ('waiting_for_resource', 'pending', 'running') ORDER BY b.id`,
  );
  /** After `build`'s row was written (`rows` rows) over one of `before`'s status: counts and change log. */
  function saved(rows: number, before: { status: string; project_id: number }, build: Build): void {
    if (before.status === build.status) {
      changes.buildChanged(rows, build);
      return;
    }
    // Trigger and external jobs are in no project list, so in no count.
    const listed = build.trigger === null && build.external === null;
    if (listed)
      rows += move.run(
        before.project_id,
        before.status,
        countSlot,
        build.projectId,
        build.status,
        countSlot,
      ).changes;
    changes.buildChanged(rows, build, { from: before.status, to: build.status, listed });
  }
  /** Writes every column of `build` over its stored row, whose status it reads to move the count. */
  function saveWhole(build: Build): void {
    const before = statusOf.get(build.id) as { status: string; project_id: number } | undefined;
    if (!before) throw new Error(`build ${build.id} does not exist`);
    saved(update.run(toParams(build)).changes, before, build);
  }
  // List queries vary only by how many statuses they filter on; prepare each shape once.
  const prepared = statementCache(db);

  return {
    ...createBuildQueueQueries(db),
    ...createProcessingQueries(db),
    get(id: number): Build | undefined {
      const row = byId.get(id) as RawBuildRow | undefined;
      return row && toBuild(row);
    },
    getByToken(token: string): Build | undefined {
      const row = byToken.get(token) as RawBuildRow | undefined;
      return row && toBuild(row);
    },
    listByPipeline(pipelineId: number): Build[] {
      return (byPipeline.all(pipelineId) as RawBuildRow[]).map(toBuild);
    },
    countNamed(pipelineId: number, name: string): number {
      return Number((namedIn.get(pipelineId, name) as { n: number | bigint }).n);
    },
    latestStatusGroups(pipelineId: number) {
      const groups: Array<Pick<Build, "status" | "allowFailure">> = [];
      const rows = statusGroups.all({ p: pipelineId }) as { status: BuildStatus; lo: number; hi: number }[];
      for (const row of rows) {
        groups.push({ status: row.status, allowFailure: row.lo === 1 });
        if (row.hi !== row.lo) groups.push({ status: row.status, allowFailure: row.hi === 1 });
      }
      return groups;
    },
    latestInStatus(pipelineId: number, status: BuildStatus): Build[] {
      return (latestIn.all(pipelineId, status) as RawBuildRow[]).map(toBuild);
    },
    hasCreated(pipelineId: number): boolean {
      return createdIn.get(pipelineId) !== undefined;
    },
    /** Pending builds, oldest first (a runner's queue). */
    /** A runner's builds in one status, newest first (`GET /runners/:id/jobs?status=`). */
    listByRunner(runnerId: number, status: BuildStatus): Build[] {
      return (byRunnerAndStatus.all(runnerId, status) as RawBuildRow[]).map(toBuild);
    },
    listPending(): Build[] {
      return (pendingOldest.all() as RawBuildRow[]).map(toBuild);
    },
    /** Scheduled builds whose countdown ended at or before `at`, the earliest first. */
    listScheduledDue(at: string): Build[] {
      return (scheduledDue.all(at) as RawBuildRow[]).map(toBuild);
    },
    /** When the next countdown ends, or null when no build is scheduled. */
    nextScheduledAt(): string | null {
      return (nextScheduled.get() as { at: string | null }).at;
    },
    /** A project's builds of one resource group that wait for, or hold, its resource; oldest first. */
    listResourceGroupActive(projectId: number, group: string): Build[] {
      return (inResourceGroup.all(projectId, group) as RawBuildRow[]).map(toBuild);
    },
    /** The id the next inserted build gets. */
    nextId(): number {
      return (maxId.get() as { m: number }).m + 1;
    },
    insert(build: Build): void {
      let rows = insert.run(toParams(build)).changes;
      for (const name of new Set(build.needs))
        rows += insertNeed.run(build.pipelineId, name, build.id).changes;
      // Trigger jobs (bridges) are never counted nor listed with the project's builds.
      const listed = build.trigger === null && build.external === null;
      if (listed) rows += bump.run(build.projectId, build.status, countSlot, 1).changes;
      changes.buildChanged(rows, build, { from: null, to: build.status, listed });
    },
    /** Saves every field of `build`; moves its count when the status changed. */
    save: saveWhole,
    saveTransition(next: Build, stored: Build): void {
      const rows = updateTransition.run({
        id: next.id,
        status: next.status,
        allow_failure: next.allowFailure ? 1 : 0,
        queued_at: next.queuedAt,
        scheduled_at: next.scheduledAt,
        started_at: next.startedAt,
        finished_at: next.finishedAt,
        failure_reason: next.failureReason,
        exit_code: next.exitCode,
        runner_id: next.runnerId,
        user_id: next.userId,
        stored_status: stored.status,
        stored_project_id: stored.projectId,
      }).changes;
      if (rows > 0) {
        saved(rows, { status: stored.status, project_id: stored.projectId }, next);
        return;
      }
      // The row moved on since the caller read it: the whole build is saved over what the row says.
      saveWhole(next);
    },
    markRetried(build: Pick<Build, "id" | "pipelineId">): void {
      const rows = setRetried.run(build.id).changes;
      // Its lists' statuses stay, and no entity shows `retried`; its pipeline's job list (which leaves
      // retried jobs out) changes.
      if (rows > 0) changes.membersChanged(rows, build.pipelineId);
    },
    /** Builds of a project (optionally one sha), newest first; trigger jobs are not builds here (GitLab's `project.builds`). */
    list(q: BuildListQuery): Build[] {
      const where = ["b.project_id = ?", "b.trigger_options IS NULL AND b.external_options IS NULL"];
      const args: unknown[] = [q.projectId];
      if (q.sha !== undefined) {
        where.push("b.sha = ?");
        args.push(q.sha);
      }
      if (q.statuses) {
        where.push(`b.status IN (${q.statuses.map(() => "?").join(", ")})`);
        args.push(...q.statuses);
      }
      const sql = `${SELECT} WHERE ${where.join(" AND ")} ORDER BY b.id DESC LIMIT ? OFFSET ?`;
      return (
        prepared(sql)
          .raw()
          .all(...args, q.limit, q.offset) as RawBuildRow[]
      ).map(toBuild);
    },
    /** Up to `limit` running builds with an id above `afterId`, by id (the watchdog's batches). */
    listRunningAfter(afterId: number, limit: number): RunningBuild[] {
      return runningAfter.all(afterId, limit) as RunningBuild[];
    },
    listAll(): Build[] {
      return (allBuilds.all() as RawBuildRow[]).map(toBuild);
    },
    lastStartedRunning(): { id: number; startedAt: string } | undefined {
      return lastStarted.get() as { id: number; startedAt: string } | undefined;
    },
    /** The ids `list` would return, without reading the rows (the entity cache has most of them). */
    listIds(q: BuildListQuery): number[] {
      const where = ["project_id = ?", "trigger_options IS NULL", "external_options IS NULL"];
      const args: unknown[] = [q.projectId];
      if (q.sha !== undefined) {
        where.push("sha = ?");
        args.push(q.sha);
      }
      if (q.statuses) {
        where.push(`status IN (${q.statuses.map(() => "?").join(", ")})`);
        args.push(...q.statuses);
      }
      const sql = `SELECT id FROM builds WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ? OFFSET ?`;
      return prepared(sql)
        .pluck()
        .all(...args, q.limit, q.offset) as number[];
    },
    /** A pipeline's builds as id, status and `retried`, oldest first (its job list without the rows). */
    pipelineMembers(pipelineId: number): Array<{ id: number; status: BuildStatus; retried: boolean }> {
      return (membersOf.all(pipelineId) as Array<{ id: number; status: BuildStatus; retried: number }>).map(
        (r) => ({ id: r.id, status: r.status, retried: r.retried === 1 }),
      );
    },
    /** How many builds `list` would page through, from the cached counts (sha lists count directly). */
    count(q: Omit<BuildListQuery, "limit" | "offset">): number {
      if (q.sha !== undefined) {
        const where = ["project_id = ?", "sha = ?", "trigger_options IS NULL", "external_options IS NULL"];
        const args: unknown[] = [q.projectId, q.sha];
        if (q.statuses) {
          where.push(`status IN (${q.statuses.map(() => "?").join(", ")})`);
          args.push(...q.statuses);
        }
        return (
          prepared(`SELECT COUNT(*) AS n FROM builds WHERE ${where.join(" AND ")}`).get(...args) as {
            n: number;
          }
        ).n;
      }
      let n = 0;
      for (const r of countRows.all(q.projectId) as { status: string; n: number }[]) {
        if (!q.statuses || (q.statuses as readonly string[]).includes(r.status)) n += r.n;
      }
      return n;
    },
  };
}
