// The reaper process (see job-reaper.ts): `node reaper-main.js INSTANCE_ID docker|no-docker [BUILDS_DIR]`,
// fed on stdin.

import { rm } from "node:fs/promises";
import { createInterface } from "node:readline";

const [instanceId = "", mode = "no-docker", buildsDir = ""] = process.argv.slice(2);
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
  if (mode === "docker" && instanceId) {
    const [{ default: Docker }, { removeLabelled }, { INSTANCE_LABEL }] = await Promise.all([
      import("dockerode"),
      import("./docker/remove-labelled.js"),
      import("./runner-instance.js"),
    ]);
    // Only this runner process's: another process of the same runner (same token) keeps its containers.
    await removeLabelled(new Docker(), [`${INSTANCE_LABEL}=${instanceId}`]).catch(() => {});
  }
  if (buildsDir) await rm(buildsDir, { recursive: true, force: true });
}
