// Commits known to a project's (simulated) repository.

import type { Commit } from "@buildsim/core";
import type { Db } from "./sql-db.js";

interface CommitRow {
  project_id: number;
  sha: string;
  message: string;
  author_name: string;
  author_email: string;
  authored_date: string;
  committer_name: string;
  committer_email: string;
  committed_date: string;
  parent_ids: string;
}

const toCommit = (r: CommitRow): Commit => ({
  projectId: r.project_id,
  sha: r.sha,
  message: r.message,
  authorName: r.author_name,
  authorEmail: r.author_email,
  authoredDate: r.authored_date,
  committerName: r.committer_name,
  committerEmail: r.committer_email,
  committedDate: r.committed_date,
  parentIds: JSON.parse(r.parent_ids),
});

/** Reads and writes commits. */
export interface CommitsRepo {
  get(projectId: number, sha: string): Commit | undefined;
  /** `repository.commit(ref)`: a full sha or an unambiguous prefix of at least 4 hex digits. */
  resolve(projectId: number, shaOrPrefix: string): Commit | undefined;
  insert(commit: Commit): void;
  /** Every commit, by project and creation (a state export). */
  listAll(): Commit[];
}

/** {@link CommitsRepo} on SQLite. */
export function createCommitsRepo(db: Db): CommitsRepo {
  const bySha = db.prepare("SELECT * FROM commits WHERE project_id = ? AND sha = ?");
  const all = db.prepare("SELECT * FROM commits ORDER BY project_id, rowid");
  const byPrefix = db.prepare(
    "SELECT * FROM commits WHERE project_id = ? AND sha >= ? AND sha < ? ORDER BY sha LIMIT 2",
  );
  const insert = db.prepare(
    `INSERT INTO commits (project_id, sha, message, author_name, author_email, authored_date, committer_name, committer_email, committed_date, parent_ids)
     VALUES (@projectId, @sha, @message, @authorName, @authorEmail, @authoredDate, @committerName, @committerEmail, @committedDate, @parentIds)`,
  );

  return {
    get(projectId: number, sha: string): Commit | undefined {
      const r = bySha.get(projectId, sha) as CommitRow | undefined;
      return r && toCommit(r);
    },
    /** `repository.commit(ref)`: a full sha or an unambiguous prefix of at least 4 hex digits. */
    resolve(projectId: number, shaOrPrefix: string): Commit | undefined {
      const exact = this.get(projectId, shaOrPrefix);
      if (exact) return exact;
      if (!/^[0-9a-f]{4,39}$/.test(shaOrPrefix)) return undefined;
      const rows = byPrefix.all(projectId, shaOrPrefix, `${shaOrPrefix}g`) as CommitRow[];
      return rows.length === 1 ? toCommit(rows[0]!) : undefined;
    },
    insert(commit: Commit): void {
      insert.run({ ...commit, parentIds: JSON.stringify(commit.parentIds) });
    },
    listAll(): Commit[] {
      return (all.all() as CommitRow[]).map(toCommit);
    },
  };
}
