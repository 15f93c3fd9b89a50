// Child process entry: buildsim on a data directory (or a postgres:// URL) holding the benchmark's builds; prints its URL.

import { createStore, startServer } from "@buildsim/server";
import { BENCH_TOKEN } from "./populate-bench-db.js";
import { answerCpuQueries } from "./report-cpu.js";
import { storeTarget } from "./store-target.js";

// An optional heartbeat timeout (the restart benchmark's watchdog starts its work after it) and sweep
// interval (the mixed benchmark keeps the watchdog out of its measurement).
const [dataDir = ".buildsim-bench", heartbeatTimeoutMs, sweepIntervalMs = "200"] = process.argv.slice(2);
// On PostgreSQL the server opens the store itself from `db`, so it joins its schema's cluster as
// `buildsim serve --db` does (its bus carries cache invalidations).
const target = storeTarget(dataDir);
const server = await startServer({
  ...("postgres" in target
    ? { db: target.postgres, dataDir: target.dataDir }
    : { store: createStore(target) }),
  port: 0,
  // The benchmarks measure serving; the contract-testing controls would copy the whole database at start.
  controls: false,
  log: (line) => process.stderr.write(`${line}\n`),
  ...(heartbeatTimeoutMs === undefined
    ? {}
    : {
        realtime: {
          heartbeatTimeoutMs: Number(heartbeatTimeoutMs),
          sweepIntervalMs: Number(sweepIntervalMs),
        },
      }),
});
process.stdout.write(`${JSON.stringify({ url: server.url, token: BENCH_TOKEN })}\n`);
answerCpuQueries();
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
