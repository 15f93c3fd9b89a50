// Per-test directories and reads of what a server process stored, shared by the real-process suites.

import { createStore } from "@buildsim/server";
import { tempDir } from "./processes.js";

/** A data directory and a builds directory for one test; their removers go into `cleanups`. */
export function testDirs(prefix: string, cleanups: Array<() => void>) {
  const data = tempDir(`${prefix}-data-`);
  const builds = tempDir(`${prefix}-builds-`);
  cleanups.push(data.remove, builds.remove);
  return { dataDir: data.dir, buildsDir: builds.dir };
}

/** Build `id` and its raw trace, read from the server's database (WAL lets us read while it runs). */
export function storedBuild(dataDir: string, id: number) {
  const store = createStore({ dataDir });
  try {
    return { build: store.builds.get(id)!, trace: store.traces.read(id) };
  } finally {
    store.close();
  }
}
