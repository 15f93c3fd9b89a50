// Prepared statements for SQL built at run time (list filters of varying shape), compiled once per text.

import type { Db, Statement } from "./sql-db.js";

/** Returns `db.prepare(sql)`, compiled on the first call for each distinct text and reused after. */
export function statementCache(db: Db): (sql: string) => Statement {
  // Keys are the few shapes a repository builds (one per status count and order), so the map stays small.
  const statements = new Map<string, Statement>();
  return (sql) => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      statements.set(sql, stmt);
    }
    return stmt;
  };
}
