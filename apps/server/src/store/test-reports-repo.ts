// Parsed junit reports, one row per build: the cases as JSON (or the parse error) and the upload's size.

import type { ParsedTestCase } from "@buildsim/core";
import type { Db } from "./sql-db.js";

/** A build's stored junit report. */
export interface TestReportRecord {
  buildId: number;
  filename: string;
  /** Bytes of the uploaded (gzip) report. */
  size: number;
  suiteError: string | null;
  cases: ParsedTestCase[];
}

interface Row {
  build_id: number;
  filename: string;
  size: number;
  suite_error: string | null;
  cases: string;
}

const fromRow = (r: Row): TestReportRecord => ({
  buildId: r.build_id,
  filename: r.filename,
  size: r.size,
  suiteError: r.suite_error,
  cases: JSON.parse(r.cases) as ParsedTestCase[],
});

/** Reads and writes `test_reports`. */
export interface TestReportsRepo {
  get(buildId: number): TestReportRecord | undefined;
  /** The report's file name and size, for the job's `artifacts` array (no JSON parsing). */
  file(buildId: number):
    | {
        filename: string;
        size: number;
      }
    | undefined;
  /** The reports of the pipeline's latest (not retried) builds, by build id. */
  listByPipeline(pipelineId: number): TestReportRecord[];
  put(record: TestReportRecord, at: string): void;
  delete(buildId: number): void;
}

/** {@link TestReportsRepo} on SQLite. */
export function createTestReportsRepo(db: Db): TestReportsRepo {
  const byBuild = db.prepare("SELECT * FROM test_reports WHERE build_id = ?");
  const fileOf = db.prepare("SELECT filename, size FROM test_reports WHERE build_id = ?");
  const byPipeline = db.prepare(
    `SELECT t.* FROM test_reports t JOIN builds b ON b.id = t.build_id
     WHERE b.pipeline_id = ? AND b.retried = 0 ORDER BY b.id`,
  );
  const upsert = db.prepare(
    `INSERT INTO test_reports (build_id, filename, size, suite_error, cases, created_at)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (build_id) DO UPDATE SET filename = excluded.filename, size = excluded.size,
     suite_error = excluded.suite_error, cases = excluded.cases, created_at = excluded.created_at`,
  );
  const remove = db.prepare("DELETE FROM test_reports WHERE build_id = ?");
  return {
    get(buildId: number): TestReportRecord | undefined {
      const r = byBuild.get(buildId) as Row | undefined;
      return r && fromRow(r);
    },
    /** The report's file name and size, for the job's `artifacts` array (no JSON parsing). */
    file(buildId: number): { filename: string; size: number } | undefined {
      return fileOf.get(buildId) as { filename: string; size: number } | undefined;
    },
    /** The reports of the pipeline's latest (not retried) builds, by build id. */
    listByPipeline(pipelineId: number): TestReportRecord[] {
      return (byPipeline.all(pipelineId) as Row[]).map(fromRow);
    },
    put(record: TestReportRecord, at: string): void {
      upsert.run(
        record.buildId,
        record.filename,
        record.size,
        record.suiteError,
        JSON.stringify(record.cases),
        at,
      );
    },
    delete(buildId: number): void {
      remove.run(buildId);
    },
  };
}
