// How `build_counts` rows take a change. A project's count of builds in one status is the sum of its
// slots (migration 21): each store moves counts in a slot of its own (SQLite: 0; PostgreSQL: one per
// server), so claims on several servers do not all update, and serialize on, one row.

/** The upsert's conflict clause: a delta is added to what the store's slot holds. */
export const UPSERT_COUNTS =
  "ON CONFLICT (project_id, status, slot) DO UPDATE SET n = build_counts.n + excluded.n";
