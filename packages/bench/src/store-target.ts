// The benchmark children's data location: a data directory (SQLite) or a postgres:// URL in its place.

import os from "node:os";
import path from "node:path";

/**
 * `createStore` options for `target`: a postgres:// URL keeps the data in PostgreSQL (its artifacts
 * directory, unused there, goes to the temporary directory rather than the working one); else a data dir.
 */
export const storeTarget = (target: string): { postgres: string; dataDir: string } | { dataDir: string } =>
  /^postgres(ql)?:\/\//.test(target)
    ? { postgres: target, dataDir: path.join(os.tmpdir(), "buildsim-bench-pg") }
    : { dataDir: target };
