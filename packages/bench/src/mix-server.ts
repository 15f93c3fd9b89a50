// The mixed benchmarks' buildsim: BENCH_BUILDS builds populated into a file database, then a server child
// on them with the watchdog kept out of the run (the data has running builds and no runner; the restart
// benchmark measures the watchdog on its own).

import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { firstLine, node, runToEnd } from "./bench-children.js";

const WATCHDOG_IDLE_MS = 3_600_000;

/** A started buildsim child and how to reach it. */
export interface MixServer {
  child: ChildProcess;
  url: string;
  token: string;
}

/**
 * Populates `builds` builds under `work` and starts buildsim on them, pinned to core 0. `BENCH_NODE_FLAGS`
 * (e.g. `--cpu-prof --cpu-prof-dir=DIR`) go to the server child, for profiling it.
 */
export async function startMixServer(work: string, builds: number, tag: string): Promise<MixServer> {
  console.log(`[${tag}] populating ${builds} builds…`);
  await runToEnd("populate-main.js", [path.join(work, "data"), String(builds)], 0);
  const idle = String(WATCHDOG_IDLE_MS);
  const flags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter((f) => f !== "");
  const child = node("bench-server-main.js", [path.join(work, "data"), idle, idle], 0, flags);
  const { url, token } = await firstLine<{ url: string; token: string }>(child);
  return { child, url, token };
}

/** A scratch directory for one benchmark run, and how to have a child stopped when the run ends. */
export interface MixScratch {
  dir: string;
  keep(child: ChildProcess): void;
}

/**
 * Runs `use` with a mix server started in a scratch directory; afterwards, however `use` ends, the server
 * and every child it kept are stopped and the directory is removed.
 */
export async function withMixServer(
  builds: number,
  tag: string,
  use: (server: MixServer, scratch: MixScratch) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `buildsim-${tag}-bench-`));
  const children: ChildProcess[] = [];
  try {
    const server = await startMixServer(dir, builds, tag);
    children.push(server.child);
    await use(server, { dir, keep: (child) => children.push(child) });
  } finally {
    for (const c of children) c.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  }
}
