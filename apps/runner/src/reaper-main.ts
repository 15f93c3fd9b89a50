// The reaper process (see job-reaper.ts): `node reaper-main.js RUNNER_KEY docker|no-docker`, fed on stdin.

import { createInterface } from "node:readline";

const [runnerKey = "", mode = "no-docker"] = process.argv.slice(2);
const groups = new Set<number>();

// A terminal's Ctrl-C or hang-up reaches the whole session: the reaper outlives them to do its work.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => {});

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const pgid = Number(line.slice(1));
  if (!Number.isInteger(pgid) || pgid <= 1) return;
  if (line.startsWith("+")) groups.add(pgid);
  else if (line.startsWith("-")) groups.delete(pgid);
});
lines.on("close", () => {
  void sweep()
    .catch((error) => process.stderr.write(`reaper: ${(error as Error).message}\n`))
    .finally(() => process.exit(0));
});

async function sweep(): Promise<void> {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // Gone already.
    }
  }
  if (mode !== "docker" || !runnerKey) return;
  const [{ default: Docker }, { removeLabelled, RUNNER_LABEL }] = await Promise.all([
    import("dockerode"),
    import("./docker/remove-labelled.js"),
  ]);
  await removeLabelled(new Docker(), [`${RUNNER_LABEL}=${runnerKey}`]).catch(() => {});
}
