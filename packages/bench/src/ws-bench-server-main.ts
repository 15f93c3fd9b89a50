// Child process entry for the WebSocket benchmarks: buildsim on a file database seeded with `runners`
// runners and `pending` pending builds in pipelines of `perPipeline` (the later half of each a `created`
// later stage when `laterStage` is "1"), or on the PostgreSQL URL `db` (seeded only if empty); prints
// `{url}` once it listens.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer } from "@buildsim/server";
import { answerCpuSignals } from "./cpu-signals.js";
import { wsBenchSeed } from "./ws-bench-seed.js";

const [runners = "1", pending = "1", perPipeline = "10", laterStage = "0", db] = process.argv.slice(2);
const dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-ws-bench-"));
const server = await startServer({
  dataDir,
  ...(db === undefined ? {} : { db }),
  // The benchmark's runners never send a heartbeat: the watchdog would requeue builds of a long run.
  realtime: { heartbeatTimeoutMs: 3_600_000, sweepIntervalMs: 3_600_000 },
  port: 0,
  seedText: wsBenchSeed(Number(runners), Number(pending), Number(perPipeline), laterStage === "1"),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
answerCpuSignals(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});
