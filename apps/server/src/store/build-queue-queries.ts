// The builds repo's narrow queue queries: the pending queue as runner matching sees it, and the running
// builds as the watchdog and a reconnecting runner see them. Only the columns each needs are read.

import type { BuildsRepo, PendingCandidate, RunningBuild } from "./builds-repo.js";
import type { Db } from "./sql-db.js";

/** Pending builds read per round trip while looking for one a runner accepts. */
const PENDING_BATCH = 64;

/** The queue queries of {@link BuildsRepo}. */
export function createBuildQueueQueries(
  db: Db,
): Pick<BuildsRepo, "firstPending" | "listRunning" | "runningOn"> {
  const pending = db.prepare(
    // A trigger job (bridge) is never a runner's: the server creates its downstream pipeline instead.
    "SELECT id, project_id, tag_list FROM builds WHERE status = 'pending' AND trigger_options IS NULL AND external_options IS NULL AND id > ? ORDER BY id LIMIT ?",
  );
  const running = db.prepare(
    "SELECT id, runner_id, started_at, timeout_s FROM builds WHERE status = 'running' AND external_options IS NULL",
  );
  const runningOn = db.prepare(
    "SELECT id, trace_bytes FROM builds WHERE status = 'running' AND runner_id = ? ORDER BY id",
  );
  return {
    firstPending(accepts: (candidate: PendingCandidate) => boolean): number | undefined {
      // Read in id order, a batch at a time: most runners take the first pending build, and reading
      // 10,000 pending rows per claim would dominate (on PostgreSQL each batch is one round trip).
      for (let after = 0; ; ) {
        const rows = pending.all(after, PENDING_BATCH) as {
          id: number;
          project_id: number;
          tag_list: string;
        }[];
        for (const row of rows) {
          const tagList = row.tag_list === "[]" ? [] : (JSON.parse(row.tag_list) as string[]);
          if (accepts({ projectId: row.project_id, tagList })) return row.id;
        }
        if (rows.length < PENDING_BATCH) return undefined;
        after = (rows[rows.length - 1] as { id: number }).id;
      }
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
