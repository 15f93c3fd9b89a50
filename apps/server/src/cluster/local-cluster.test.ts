// Servers in one process joined by a LocalClusterNetwork (embedders, tests): the same relay as on
// PostgreSQL without a database server, here to show that a write drops from the other server's read
// cache exactly what it changed, and that leadership passes on.

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type RunningServer, startServer } from "../start-server.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../test-support/runner-seed.js";
import { api } from "../test-support/start-test-server.js";
import { createLocalClusterBus, LocalClusterNetwork } from "./local-cluster-bus.js";

let dataDir: string;
let network: LocalClusterNetwork;
const servers: RunningServer[] = [];
beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), "buildsim-local-cluster-"));
  network = new LocalClusterNetwork();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function join(log: (line: string) => void = () => {}): Promise<RunningServer> {
  const server = await startServer({
    dataDir,
    seedText: RUNNER_SEED,
    log,
    controls: false,
    webUiDir: false,
    cluster: { network },
  });
  servers.push(server);
  return server;
}

describe("servers joined in one process", () => {
  it("drop from the other server's read cache the job a write changed, and keep the others", async () => {
    const a = await join();
    const b = await join();
    // GET /projects/:id/jobs/:job_id (https://docs.gitlab.com/ee/api/jobs.html#get-a-single-job).
    const status = async (project: number, id: number) =>
      (
        (await (await api(b, `/api/v4/projects/${project}/jobs/${id}`, { token: T.admin })).json()) as {
          status: string;
        }
      ).status;
    // Job 4 is in another pipeline (of project 2): nothing job 2's cancel changes shows in its entity.
    expect([await status(2, 4), await status(1, 2)]).toEqual(["pending", "pending"]);
    const cached = (id: number) => b.app.readCache?.v4.get(id, Date.now());
    expect(cached(4)).toBeDefined();
    expect(cached(2)).toBeDefined();
    const heard = b.store.changes.remoteApplied;
    expect(
      (await api(a, "/api/v4/projects/1/jobs/2/cancel", { method: "POST", token: T.admin })).status,
    ).toBe(201);
    await vi.waitFor(() => expect(b.store.changes.remoteApplied).toBeGreaterThan(heard));
    expect(cached(2)).toBeUndefined();
    expect(cached(4)).toBeDefined();
    expect([await status(2, 4), await status(1, 2)]).toEqual(["pending", "canceled"]);
  });

  it("let the first server lead, and the next one once it has left", async () => {
    const a = await join();
    const b = await join();
    expect([a.cluster.isLeader(), b.cluster.isLeader()]).toEqual([true, false]);
    await a.close();
    expect(b.cluster.isLeader()).toBe(true);
  });

  it("ignore and log a malformed message instead of acting on it", async () => {
    const lines: string[] = [];
    const server = await join((line) => lines.push(line));
    const stranger = createLocalClusterBus({ network });
    stranger.publish("trace", { b: "2", o: 0, l: 10 });
    stranger.publish("nonsense", {});
    // The valid message after them shows both were heard (delivery keeps order).
    const heard = server.store.changes.remoteApplied;
    stranger.publish("changes", { global: true });
    await vi.waitFor(() => expect(server.store.changes.remoteApplied).toBe(heard + 1));
    expect(lines).toEqual([
      "cluster: ignored a malformed trace message",
      "cluster: ignored a malformed nonsense message",
    ]);
    await stranger.close();
  });
});
