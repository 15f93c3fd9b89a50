// Child process entry for the WebSocket benchmarks: buildsim on a file database seeded with `runners`
// runners and `pending` pending builds in pipelines of `perPipeline` (the later half of each a `created`
// later stage when `shape` is "1"; with "dag", that later half's jobs each `need` one job of the first),
// or on the PostgreSQL URL `db` (seeded only if empty); prints `{url}` once it listens.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createStore, loadSeedText, startServer } from "@buildsim/server";
import { answerCpuSignals } from "./cpu-signals.js";
import { insertDagStage } from "./dag-bench-stage.js";
import { wsBenchSeed } from "./ws-bench-seed.js";

const [runners = "1", pending = "1", perPipeline = "10", shape = "0", db] = process.argv.slice(2);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-ws-bench-"));

/** The DAG: the seed holds each pipeline's first half (pending), the store gets the `needs` half. */
function dagStore() {
  const store = createStore({ dataDir });
  const at = new Date().toISOString();
  const seedText = wsBenchSeed(Number(runners), Number(pending) / 2, Number(perPipeline) / 2);
  insertDagStage(store, loadSeedText(store, seedText, "seed", at), at);
  return store;
}

const server = await startServer({
  dataDir,
  ...(db === undefined ? {} : { db }),
  // The benchmark's runners never send a heartbeat: the watchdog would requeue builds of a long run.
  realtime: { heartbeatTimeoutMs: 3_600_000, sweepIntervalMs: 3_600_000 },
  port: 0,
  ...(shape === "dag"
    ? { store: dagStore() }
    : { seedText: wsBenchSeed(Number(runners), Number(pending), Number(perPipeline), shape === "1") }),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
answerCpuSignals(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});
