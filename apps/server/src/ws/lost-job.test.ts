// A claim whose `job` answer never reached the runner (a link blip, or a server killed between the
// commit and the send) must not fail a build that never ran: with no trace byte and no heartbeat
// naming it, the build goes back to the queue (issue #13, item 8). GitLab itself would leave it running
// until its stuck timeout; buildsim's runners can tell it they never got it.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { b64, connectRunner } from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../test-support/runner-seed.js";
import { createFakeClock, startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
let clock: ReturnType<typeof createFakeClock>;
beforeEach(async () => {
  clock = createFakeClock();
  server = await startTestServer({
    seedText: RUNNER_SEED,
    clock: clock.now,
    realtime: { sweepIntervalMs: 2 ** 30, heartbeatTimeoutMs: 10_000 },
  });
});
afterEach(() => server.close());

const build = (id: number) => server.store.builds.get(id)!;

/** Runner `token` claims and receives build `id`, as if the answer were then lost. */
async function claimAndLose(token: string, id: number) {
  const runner = await connectRunner(server, token);
  runner.client.send({ type: "claim", requestId: "lost" });
  expect((await runner.client.nextOf("job")).job.id).toBe(id);
  return runner;
}

describe("a claimed build its runner never mentions", () => {
  it("goes back to the queue after the heartbeat timeout, and another runner gets it", async () => {
    await claimAndLose(T.docker, 1);
    clock.advance(11_000);
    server.realtime.runners.watchdog.sweep();
    expect(build(1)).toMatchObject({
      status: "pending",
      runnerId: null,
      startedAt: null,
      failureReason: null,
    });
    expect(server.store.pipelines.get(1)?.status).not.toBe("failed");
    const again = await connectRunner(server, T.docker);
    again.client.send({ type: "claim", requestId: "second" });
    expect((await again.client.nextOf("job")).job.id).toBe(1);
  });

  it("still fails as runner_system_failure once a heartbeat named it", async () => {
    const { client } = await claimAndLose(T.docker, 1);
    client.send({ type: "heartbeat", buildIds: [1] });
    client.send({ type: "claim", requestId: "sync" });
    await client.nextOf("noJob");
    clock.advance(11_000);
    server.realtime.runners.watchdog.sweep();
    expect(build(1)).toMatchObject({ status: "failed", failureReason: "runner_system_failure" });
  });
});

describe("release", () => {
  it("requeues a resumed build the runner does not hold, and its next claim gets it again", async () => {
    const first = await claimAndLose(T.docker, 1);
    await first.client.close();
    const { client, welcome } = await connectRunner(server, T.docker);
    expect(welcome.resume).toEqual([{ buildId: 1, traceBytes: 0, status: "running" }]);
    client.send({ type: "release", buildId: 1 });
    client.send({ type: "claim", requestId: "again" });
    expect((await client.nextOf("job")).job.id).toBe(1);
    expect(build(1)).toMatchObject({ status: "running", runnerId: 2 });
  });

  it("fails a released build that has trace bytes: it ran and was lost", async () => {
    const { client } = await claimAndLose(T.docker, 1);
    client.send({ type: "trace", buildId: 1, offset: 0, data: b64("started") });
    await client.nextOf("traceAck");
    client.send({ type: "release", buildId: 1 });
    await expect.poll(() => build(1).status).toBe("failed");
    expect(build(1).failureReason).toBe("runner_system_failure");
  });

  it("ignores a release of another runner's build", async () => {
    await claimAndLose(T.docker, 1);
    const other = await connectRunner(server, T.shared);
    other.client.send({ type: "release", buildId: 1 });
    other.client.send({ type: "claim", requestId: "sync" });
    await other.client.nextOf("job");
    expect(build(1)).toMatchObject({ status: "running", runnerId: 2 });
  });
});
