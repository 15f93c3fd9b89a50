// Child process entry: buildsim on a data directory holding the benchmark's builds; prints its URL.

import { createStore, startServer } from "@buildsim/server";
import { BENCH_TOKEN } from "./populate-bench-db.js";
import { answerCpuQueries } from "./report-cpu.js";

const [dataDir = ".buildsim-bench"] = process.argv.slice(2);
const store = createStore({ dataDir });
const server = await startServer({ store, port: 0, log: (line) => process.stderr.write(`${line}\n`) });
process.stdout.write(`${JSON.stringify({ url: server.url, token: BENCH_TOKEN })}\n`);
answerCpuQueries();
process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
