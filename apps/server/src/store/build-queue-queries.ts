// The builds repo's narrow queue queries: the pending queue as runner matching sees it, and the running
// builds as the watchdog and a reconnecting runner see them. Only the columns each needs are read.

import type { BuildsRepo, PendingCandidate, RunningBuild } from "./builds-repo.js";
import type { Db } from "./sql-db.js";

/** The queue queries of {@link BuildsRepo} on SQLite. */
export function createBuildQueueQueries(
  db: Db,
): Pick<BuildsRepo, "firstPending" | "listRunning" | "runningOn"> {
  const pending = db.prepare(
    // A trigger job (bridge) is never a runner's: the server creates its downstream pipeline instead.
    "SELECT id, project_id, tag_list FROM builds WHERE status = 'pending' AND trigger_options IS NULL AND external_options IS NULL ORDER BY id",
  );
  const running = db.prepare(
    "SELECT id, runner_id, started_at, timeout_s FROM builds WHERE status = 'running' AND external_options IS NULL",
  );
  const runningOn = db.prepare(
    "SELECT id, trace_bytes FROM builds WHERE status = 'running' AND runner_id = ? ORDER BY id",
  );
  return {
    firstPending(accepts: (candidate: PendingCandidate) => boolean): number | undefined {
      // Read lazily in id order: most runners take the first pending build, and loading whole builds
      // for 10,000 pending rows would dominate.
      for (const row of pending.iterate() as IterableIterator<{
        id: number;
        project_id: number;
        tag_list: string;
      }>) {
        const tagList = row.tag_list === "[]" ? [] : (JSON.parse(row.tag_list) as string[]);
        // Leaving the loop closes the statement, so the connection is free for the update.
        if (accepts({ projectId: row.project_id, tagList })) return row.id;
      }
      return undefined;
    },
    listRunning(): RunningBuild[] {
      const rows = running.all() as {
        id: number;
        runner_id: number | null;
        started_at: string | null;
        timeout_s: number;
      }[];
      return rows.map((r) => ({
        id: r.id,
        runnerId: r.runner_id,
        startedAt: r.started_at,
        timeoutS: r.timeout_s,
      }));
    },
    runningOn(runnerId: number): Array<{ buildId: number; traceBytes: number }> {
      return (runningOn.all(runnerId) as { id: number; trace_bytes: number }[]).map((r) => ({
        buildId: r.id,
        traceBytes: r.trace_bytes,
      }));
    },
  };
}
