// Child process entry: fills a data directory (or a postgres:// URL) with the benchmark's builds, then exits (so the server
// measured later starts on a clean heap, as after a restart).

import { createStore } from "@buildsim/server";
import { populateBenchDb } from "./populate-bench-db.js";
import { storeTarget } from "./store-target.js";

const [dataDir = ".buildsim-bench", builds = "100000", traces = "0"] = process.argv.slice(2);
const store = createStore(storeTarget(dataDir));
populateBenchDb(store, Number(builds), Number(traces));
store.close();
