// The watchdog works through running builds in bounded slices: after a restart with thousands of
// running builds and no runner, each slice handles what fits in its time budget and the next one resumes
// where it stopped, so requests are answered between slices (issue #12: "the watchdog must work in
// bounded batches that never stall requests").

import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { createFakeClock, startTestServer } from "../test-support/start-test-server.js";
import { SWEEP_BATCH_ROWS } from "./build-watchdog.js";

let server: RunningServer;
afterEach(() => server.close());

/** A seed with `n` running builds in pipelines of 10 (no runner mentions them: the watchdog requeues them). */
function runningSeed(n: number): string {
  const sha = "a".repeat(40);
  return JSON.stringify({
    users: [{ id: 1, username: "root", admin: true, tokens: ["root-token"] }],
    projects: [{ id: 1, path: "acme/app" }],
    commits: [{ project: 1, sha, message: "m" }],
    pipelines: Array.from({ length: Math.ceil(n / 10) }, (_, p) => ({
      id: p + 1,
      project: 1,
      sha,
      ref: "master",
    })),
    builds: Array.from({ length: n }, (_, i) => ({
      id: i + 1,
      pipeline: 1 + Math.floor(i / 10),
      name: `job-${i}`,
      status: "running",
      started_at: "2026-01-01T00:00:00.000Z",
    })),
  });
}

const countRunning = () => server.store.builds.count({ projectId: 1, statuses: ["running"] });

describe("the watchdog's slices", () => {
  it("handle at least one build each and resume where the last one stopped until the pass is complete", async () => {
    const clock = createFakeClock();
    server = await startTestServer({
      seedText: runningSeed(120),
      clock: clock.now,
      realtime: { sweepIntervalMs: 2 ** 30, heartbeatTimeoutMs: 10_000 },
    });
    clock.advance(11_000);
    // A zero budget still handles one build, then hands the event loop back.
    expect(server.realtime.runners.watchdog.sweepSome(0)).toBe(false);
    expect(countRunning()).toBe(119);
    expect(server.store.builds.get(1)?.status).toBe("pending");
    let slices = 1;
    while (!server.realtime.runners.watchdog.sweepSome(0)) slices++;
    // The last slice finds no build after the 120th and completes the pass.
    expect(slices).toBe(120);
    expect(countRunning()).toBe(0);
  });

  it("keep the batch they read across slices, but leave a build alone that was claimed again meanwhile", async () => {
    const clock = createFakeClock();
    server = await startTestServer({
      seedText: runningSeed(3),
      clock: clock.now,
      realtime: { sweepIntervalMs: 2 ** 30, heartbeatTimeoutMs: 10_000 },
    });
    clock.advance(11_000);
    expect(server.realtime.runners.watchdog.sweepSome(0)).toBe(false);
    expect(server.store.builds.get(1)?.status).toBe("pending");
    // Between two slices build 2 was requeued and another runner started it again: the row the pass read
    // before describes its old run, whose silence must not fail the new one.
    server.store.transaction(() => {
      const build = server.store.builds.get(2)!;
      server.store.builds.save({ ...build, startedAt: new Date(clock.now()).toISOString() });
    });
    expect(server.realtime.runners.watchdog.sweepSome(0)).toBe(false);
    expect(server.store.builds.get(2)?.status).toBe("running");
    while (!server.realtime.runners.watchdog.sweepSome(0));
    expect(server.store.builds.get(3)?.status).toBe("pending");
    expect(server.store.builds.get(2)?.status).toBe("running");
  });

  it("read the running builds in batches of at most 100 rows, so one read stays well inside a slice's budget", async () => {
    const clock = createFakeClock();
    server = await startTestServer({
      seedText: runningSeed(250),
      clock: clock.now,
      realtime: { sweepIntervalMs: 2 ** 30, heartbeatTimeoutMs: 10_000 },
    });
    clock.advance(11_000);
    const builds = server.store.builds;
    const read = builds.listRunningAfter.bind(builds);
    const reads: Array<{ limit: number; rows: number }> = [];
    builds.listRunningAfter = (afterId, limit) => {
      const rows = read(afterId, limit);
      reads.push({ limit, rows: rows.length });
      return rows;
    };
    while (!server.realtime.runners.watchdog.sweepSome(Number.POSITIVE_INFINITY));
    expect(reads.every((r) => r.limit <= SWEEP_BATCH_ROWS && r.rows <= 100)).toBe(true);
    // 250 running builds: two full batches, then the 50 left, which end the pass.
    expect(reads.map((r) => r.rows)).toEqual([100, 100, 50]);
    expect(countRunning()).toBe(0);
  });

  it("run from the interval timer without blocking requests: the API answers while builds are requeued", async () => {
    const clock = createFakeClock();
    server = await startTestServer({
      seedText: runningSeed(600),
      clock: clock.now,
      realtime: { sweepIntervalMs: 5, heartbeatTimeoutMs: 10_000 },
    });
    clock.advance(11_000);
    // Requests sent while the pass runs are answered before it ends (they get turns between slices).
    const seen: number[] = [];
    while (countRunning() > 0 && seen.length < 10_000) {
      const res = await fetch(`${server.url}/api/v4/version`, { headers: { "PRIVATE-TOKEN": "root-token" } });
      expect(res.status).toBe(200);
      seen.push(countRunning());
    }
    expect(countRunning()).toBe(0);
    // Answers came at several points of the pass, not only before or after it.
    expect(new Set(seen.filter((n) => n > 0 && n < 600)).size).toBeGreaterThan(2);
  });
});

// Several servers (issue #16): the leader runs the watchdog for builds other servers handed out. A build
// claimed elsewhere a moment ago is not silent to it, and a server that starts leading late gives every
// running build the whole silence period from then, instead of failing those it never heard of.
describe("the watchdog of a server that did not see the claim", () => {
  it("counts silence from the build's start when it started after the server", async () => {
    const clock = createFakeClock("2026-01-01T00:00:00.000Z");
    server = await startTestServer({
      seedText: runningSeed(1).replace('"2026-01-01T00:00:00.000Z"', '"2026-01-01T00:00:50.000Z"'),
      clock: clock.now,
      realtime: { sweepIntervalMs: 2 ** 30, heartbeatTimeoutMs: 30_000 },
    });
    // 60 s after this server's start, but only 10 s after the build started (on another server).
    clock.advance(60_000);
    server.realtime.runners.watchdog.sweep();
    expect(server.store.builds.get(1)?.status).toBe("running");
    clock.advance(21_000);
    server.realtime.runners.watchdog.sweep();
    expect(server.store.builds.get(1)?.status).toBe("pending");
  });

  it("gives running builds the whole period again when its passes resume after a gap (it did not lead)", async () => {
    const clock = createFakeClock();
    server = await startTestServer({
      seedText: runningSeed(1),
      clock: clock.now,
      realtime: { sweepIntervalMs: 2 ** 30, heartbeatTimeoutMs: 100 },
    });
    server.realtime.runners.watchdog.sweepSome(Number.POSITIVE_INFINITY);
    // Not leading for a while: no pass runs, and the fake clock moves past the silence period.
    await new Promise((r) => setTimeout(r, 120));
    clock.advance(1_000);
    server.realtime.runners.watchdog.sweepSome(Number.POSITIVE_INFINITY);
    expect(server.store.builds.get(1)?.status).toBe("running");
    clock.advance(150);
    server.realtime.runners.watchdog.sweepSome(Number.POSITIVE_INFINITY);
    expect(server.store.builds.get(1)?.status).toBe("pending");
  });
});
