// The runner protocol against a real server on port 0 with real WebSocket clients speaking core's types.

import { CLOSE_CODES, PROTOCOL_VERSION } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunningServer } from "../start-server.js";
import { b64, connectRunner, openRunnerSocket } from "../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../test-support/runner-seed.js";
import { api, createFakeClock, startTestServer } from "../test-support/start-test-server.js";
import { traceAckJson } from "./runner-session.js";

let server: RunningServer;
let clock: ReturnType<typeof createFakeClock>;

beforeEach(async () => {
  clock = createFakeClock();
  // The sweep runs only when a test calls it, after moving the fake clock.
  server = await startTestServer({
    seedText: RUNNER_SEED,
    clock: clock.now,
    realtime: { sweepIntervalMs: 2 ** 30, heartbeatTimeoutMs: 10_000, timeoutGraceMs: 3000 },
  });
});
afterEach(() => server.close());

const status = (id: number) => server.store.builds.get(id)!;

describe("hello", () => {
  it("closes with 4401 for an unknown runner token", async () => {
    const c = await openRunnerSocket(server);
    c.send({ type: "hello", protocol: PROTOCOL_VERSION, token: "nope" });
    expect(await c.closed).toBe(CLOSE_CODES.UNAUTHORIZED);
  });

  it("closes with 4426 for another protocol version", async () => {
    const c = await openRunnerSocket(server);
    c.send({ type: "hello", protocol: PROTOCOL_VERSION + 1, token: T.shared });
    expect(await c.closed).toBe(CLOSE_CODES.UNSUPPORTED_PROTOCOL);
  });

  it("closes with 4000 for a frame that is not a message, and for a claim before hello", async () => {
    const c = await openRunnerSocket(server);
    c.socket.send("{nope");
    expect(await c.closed).toBe(CLOSE_CODES.PROTOCOL_ERROR);
    const d = await openRunnerSocket(server);
    d.send({ type: "claim", requestId: "r1" });
    expect((await d.nextOf("error")).code).toBe("PROTOCOL_ERROR");
    expect(await d.closed).toBe(CLOSE_CODES.PROTOCOL_ERROR);
  });

  it("welcomes a known runner with its id and the heartbeat period, and records the contact", async () => {
    const { welcome } = await connectRunner(server, T.shared);
    expect(welcome).toMatchObject({ type: "welcome", runnerId: 1, resume: [] });
    expect(welcome.heartbeatIntervalMs).toBeGreaterThan(0);
    expect(server.store.runners.get(1)!.contactedAt).toBe("2026-01-01T00:00:00.000Z");
  });
});

describe("claim", () => {
  it("gives the oldest build whose tags the runner has, and moves it to running", async () => {
    const { client } = await connectRunner(server, T.docker);
    client.send({ type: "claim", requestId: "r1" });
    const job = await client.nextOf("job");
    expect(job.requestId).toBe("r1");
    expect(job.job.id).toBe(1);
    expect(status(1)).toMatchObject({
      status: "running",
      runnerId: 2,
      startedAt: "2026-01-01T00:00:00.000Z",
    });
    client.send({ type: "claim", requestId: "r2" });
    // Build 2 is untagged and this runner does not run untagged builds.
    expect(await client.nextOf("noJob")).toEqual({ type: "noJob", requestId: "r2" });
  });

  it("skips tagged builds for an untagged runner and other projects' builds for a specific runner", async () => {
    const shared = await connectRunner(server, T.shared);
    shared.client.send({ type: "claim", requestId: "a" });
    expect((await shared.client.nextOf("job")).job.id).toBe(2);
    const specific = await connectRunner(server, T.specific2);
    specific.client.send({ type: "claim", requestId: "b" });
    expect((await specific.client.nextOf("job")).job.id).toBe(4);
    specific.client.send({ type: "claim", requestId: "c" });
    expect((await specific.client.nextOf("noJob")).requestId).toBe("c");
  });

  it("gives a paused runner nothing", async () => {
    const { client } = await connectRunner(server, T.paused);
    client.send({ type: "claim", requestId: "r" });
    expect((await client.nextOf("noJob")).requestId).toBe("r");
    expect(status(2).status).toBe("pending");
  });

  it("keeps a runner's stored tags when its hello has none", async () => {
    const { client } = await connectRunner(server, T.docker, { tags: [] });
    expect(server.store.runners.get(2)!.tagList).toEqual(["docker", "linux"]);
    client.send({ type: "claim", requestId: "r" });
    expect((await client.nextOf("job")).job.id).toBe(1);
  });

  it("uses the tags a runner says in hello", async () => {
    const { client } = await connectRunner(server, T.shared, { tags: ["docker"] });
    client.send({ type: "claim", requestId: "r" });
    expect((await client.nextOf("job")).job.id).toBe(1);
    expect(server.store.runners.get(1)!.tagList).toEqual(["docker"]);
  });

  it("sends the steps, GitLab's CI_* variables, then the build's own", async () => {
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "r" });
    const { job } = await client.nextOf("job");
    expect(job.steps).toEqual([
      { name: "script", script: ["setup", "test"], timeoutS: 3600, when: "on_success", allowFailure: false },
      { name: "after_script", script: ["cleanup"], timeoutS: 3600, when: "always", allowFailure: true },
    ]);
    const vars = Object.fromEntries(job.variables.map((v) => [v.key, v.value]));
    expect(vars).toMatchObject({
      CI: "true",
      GITLAB_CI: "true",
      CI_JOB_ID: "2",
      CI_JOB_NAME: "plain",
      CI_JOB_STAGE: "test",
      CI_JOB_TOKEN: job.token,
      CI_PIPELINE_ID: "1",
      CI_PROJECT_ID: "1",
      CI_PROJECT_PATH: "acme/app",
      CI_PROJECT_NAME: "app",
      CI_COMMIT_SHA: "a".repeat(40),
      CI_COMMIT_SHORT_SHA: "aaaaaaaa",
      CI_COMMIT_REF_NAME: "main",
      CI_COMMIT_BRANCH: "main",
      CI_COMMIT_TITLE: "Add feature",
      CI_SERVER_URL: server.url,
      CI_API_V4_URL: `${server.url}/api/v4`,
      CI_RUNNER_ID: "1",
      MY_VAR: "hello",
    });
    expect(job.variables.find((v) => v.key === "CI_JOB_TOKEN")!.public).toBe(false);
    expect(job.variables.findIndex((v) => v.key === "MY_VAR")).toBe(job.variables.length - 1);
  });

  it("never hands one build to two runners claiming at once", async () => {
    const runners = await Promise.all(Array.from({ length: 8 }, () => connectRunner(server, T.shared)));
    for (const [i, r] of runners.entries()) r.client.send({ type: "claim", requestId: `r${i}` });
    const answers = await Promise.all(runners.map((r) => r.client.next()));
    // The shared runner may run builds 2 (project 1) and 4 (project 2): each goes to exactly one runner.
    const ids = answers.flatMap((a) => (a.type === "job" ? [a.job.id] : []));
    expect(ids.sort()).toEqual([2, 4]);
    expect(answers.filter((a) => a.type === "noJob")).toHaveLength(6);
  });

  it("parks a long-poll claim and answers it as soon as a build is queued", async () => {
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "a" });
    expect((await client.nextOf("job")).job.id).toBe(2);
    client.send({ type: "claim", requestId: "b" });
    expect((await client.nextOf("job")).job.id).toBe(4);
    client.send({ type: "claim", requestId: "wait", waitMs: 60_000 });
    const canceled = await api(server, "/api/v3/projects/1/builds/2/cancel", {
      method: "POST",
      token: T.admin,
    });
    expect(canceled.status).toBe(201);
    await client.nextOf("cancel");
    expect(client.pending).toEqual([]);
    const retried = await api(server, "/api/v3/projects/1/builds/2/retry", {
      method: "POST",
      token: T.admin,
    });
    expect(retried.status).toBe(201);
    const { id } = (await retried.json()) as { id: number };
    const job = await client.nextOf("job");
    expect(job.requestId).toBe("wait");
    expect(job.job.id).toBe(id);
  });

  it("answers a parked claim with noJob when its wait ends", async () => {
    const timers: Array<() => void> = [];
    await server.close();
    server = await startTestServer({
      seedText: RUNNER_SEED,
      realtime: {
        timers: {
          setTimeout: (fn) => timers.push(fn),
          clearTimeout: () => {},
          setInterval: () => 0,
          clearInterval: () => {},
        },
      },
    });
    const { client } = await connectRunner(server, T.paused);
    client.send({ type: "claim", requestId: "w", waitMs: 1000 });
    client.send({ type: "heartbeat", buildIds: [] });
    // The first timer is the socket's hello deadline, the second the parked claim's wait.
    await expect.poll(() => timers.length).toBe(2);
    expect(client.pending).toEqual([]);
    timers[1]!();
    expect(await client.nextOf("noJob")).toEqual({ type: "noJob", requestId: "w" });
  });
});

describe("trace", () => {
  it("acknowledges the persisted length, stores a repeat once, and answers a gap with the length held", async () => {
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64("hello ") });
    expect(await client.nextOf("traceAck")).toEqual({ type: "traceAck", buildId: 2, length: 6 });
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64("hello world") });
    expect((await client.nextOf("traceAck")).length).toBe(11);
    client.send({ type: "trace", buildId: 2, offset: 20, data: b64("lost") });
    expect((await client.nextOf("traceAck")).length).toBe(11);
    expect(server.store.traces.read(2).toString()).toBe("hello world");
    const res = await api(server, "/api/v3/projects/1/builds/2/trace", { token: T.admin });
    expect(await res.text()).toBe("hello world");
  });

  it("answers INTERNAL naming the build when a chunk cannot be stored, and stores it when it is sent again", async () => {
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    // The database is unreachable for this one batch (on PostgreSQL both ways of storing it fail).
    const traces = server.app.traces;
    vi.spyOn(traces, "appendBatchAsync").mockRejectedValueOnce(new Error("connection lost"));
    vi.spyOn(traces, "appendBatch").mockImplementationOnce(() => {
      throw new Error("connection lost");
    });
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64("hello ") });
    // The build is named, so the runner knows which message to send again (client: runner-builds.ts).
    expect(await client.nextOf("error")).toEqual({
      type: "error",
      code: "INTERNAL",
      message: "trace append failed on the server",
      buildId: 2,
    });
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64("hello ") });
    expect(await client.nextOf("traceAck")).toEqual({ type: "traceAck", buildId: 2, length: 6 });
    expect(server.store.traces.read(2).toString()).toBe("hello ");
  });

  it("closes with 4000 for a chunk over maxTraceChunkBytes, storing nothing", async () => {
    await server.close();
    server = await startTestServer({ seedText: RUNNER_SEED, realtime: { maxTraceChunkBytes: 4 } });
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64("12345") });
    expect(await client.closed).toBe(CLOSE_CODES.PROTOCOL_ERROR);
    expect(server.store.traces.read(2).byteLength).toBe(0);
  });

  it("refuses chunks for a build the runner does not hold", async () => {
    const { client } = await connectRunner(server, T.docker);
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64("x") });
    expect((await client.nextOf("error")).code).toBe("NOT_YOUR_BUILD");
    expect(server.store.traces.read(2).byteLength).toBe(0);
  });
});

describe("finish", () => {
  it("ends the build through the machine and processes the pipeline's next stage", async () => {
    const docker = await connectRunner(server, T.docker);
    docker.client.send({ type: "claim", requestId: "d" });
    await docker.client.nextOf("job");
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64("ok\n") });
    await client.nextOf("traceAck");
    client.send({ type: "finish", buildId: 2, state: "success", exitCode: 0, traceBytes: 3 });
    expect(await client.nextOf("finishAck")).toEqual({ type: "finishAck", buildId: 2, status: "success" });
    docker.client.send({
      type: "finish",
      buildId: 1,
      state: "failed",
      exitCode: 2,
      failureReason: "script_failure",
      traceBytes: 0,
    });
    expect((await docker.client.nextOf("finishAck")).status).toBe("failed");
    expect(status(1)).toMatchObject({ failureReason: "script_failure", exitCode: 2 });
    // Stage 0 failed, so `deploy` is skipped and the pipeline failed.
    expect(status(3).status).toBe("skipped");
    expect(server.store.pipelines.get(1)!.status).toBe("failed");
  });

  it("does not finish while trace bytes the runner reported are missing", async () => {
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    client.send({ type: "finish", buildId: 2, state: "success", exitCode: 0, traceBytes: 10 });
    expect(await client.nextOf("traceAck")).toEqual({ type: "traceAck", buildId: 2, length: 0 });
    expect(status(2).status).toBe("running");
  });
});

describe("cancel", () => {
  it("sends cancel to the runner at once and keeps the build canceled when it finishes", async () => {
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    const res = await api(server, "/api/v3/projects/1/builds/2/cancel", { method: "POST", token: T.admin });
    expect(res.status).toBe(201);
    expect(await client.nextOf("cancel")).toEqual({ type: "cancel", buildId: 2, reason: "canceled" });
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64("killed\n") });
    expect((await client.nextOf("traceAck")).length).toBe(7);
    client.send({ type: "finish", buildId: 2, state: "failed", exitCode: 143, traceBytes: 7 });
    expect((await client.nextOf("finishAck")).status).toBe("canceled");
    expect(status(2).status).toBe("canceled");
  });
});

describe("timeouts and silence", () => {
  it("fails a build whose runner goes silent with runner_system_failure", async () => {
    const { client } = await connectRunner(server, T.docker);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    clock.advance(9000);
    client.send({ type: "heartbeat", buildIds: [1] });
    client.send({ type: "claim", requestId: "sync" });
    await client.nextOf("noJob");
    clock.advance(9000);
    server.realtime.runners.watchdog.sweep();
    expect(status(1).status).toBe("running");
    clock.advance(2000);
    server.realtime.runners.watchdog.sweep();
    expect(status(1)).toMatchObject({ status: "failed", failureReason: "runner_system_failure" });
    expect(await client.nextOf("cancel")).toEqual({ type: "cancel", buildId: 1, reason: "canceled" });
  });

  it("fails a timed-out build after the grace period when its runner never finishes", async () => {
    const { client } = await connectRunner(server, T.docker);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    server.store.transaction(() => server.store.builds.save({ ...status(1), timeoutS: 5 }));
    clock.advance(5000);
    client.send({ type: "heartbeat", buildIds: [1] });
    client.send({ type: "claim", requestId: "sync" });
    await client.nextOf("noJob");
    server.realtime.runners.watchdog.sweep();
    expect(await client.nextOf("cancel")).toEqual({ type: "cancel", buildId: 1, reason: "timeout" });
    expect(status(1).status).toBe("running");
    clock.advance(3000);
    server.realtime.runners.watchdog.sweep();
    expect(status(1)).toMatchObject({ status: "failed", failureReason: "stuck_or_timeout_failure" });
  });

  it("fails a timed-out build with stuck_or_timeout_failure whatever state its runner reports", async () => {
    const { client } = await connectRunner(server, T.docker);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    server.store.transaction(() => server.store.builds.save({ ...status(1), timeoutS: 5 }));
    clock.advance(6000);
    server.realtime.runners.watchdog.sweep();
    expect((await client.nextOf("cancel")).reason).toBe("timeout");
    client.send({ type: "finish", buildId: 1, state: "failed", exitCode: 137, traceBytes: 0 });
    expect((await client.nextOf("finishAck")).status).toBe("failed");
    expect(status(1).failureReason).toBe("stuck_or_timeout_failure");
  });
});

describe("reconnect", () => {
  it("lists the runner's running builds with the trace length held in welcome.resume", async () => {
    const first = await connectRunner(server, T.shared);
    first.client.send({ type: "claim", requestId: "r" });
    await first.client.nextOf("job");
    first.client.send({ type: "trace", buildId: 2, offset: 0, data: b64("12345") });
    await first.client.nextOf("traceAck");
    await first.client.close();
    const again = await connectRunner(server, T.shared);
    expect(again.welcome.resume).toEqual([{ buildId: 2, traceBytes: 5, status: "running" }]);
    again.client.send({ type: "trace", buildId: 2, offset: 5, data: b64("678") });
    expect((await again.client.nextOf("traceAck")).length).toBe(8);
  });
});

describe("after a server restart", () => {
  it("gives running builds the heartbeat period from startup, then fails those nobody resumed that ran and requeues those that never wrote a byte", async () => {
    await server.close();
    clock = createFakeClock("2026-02-01T00:00:00.000Z");
    const seed = RUNNER_SEED.replace(
      "- { id: 4, pipeline: 2, name: other, status: pending",
      '- { id: 5, pipeline: 1, name: resumed, status: running, runner: 1, started_at: "2026-02-01T00:00:00.000Z" }\n  - { id: 6, pipeline: 1, name: orphan, status: running, runner: 2, started_at: "2026-02-01T00:00:00.000Z" }\n  - { id: 7, pipeline: 1, name: lost, status: running, runner: 2, started_at: "2026-02-01T00:00:00.000Z" }\n  - { id: 4, pipeline: 2, name: other, status: pending',
    );
    server = await startTestServer({
      seedText: seed,
      clock: clock.now,
      realtime: { sweepIntervalMs: 2 ** 30, heartbeatTimeoutMs: 10_000 },
    });
    server.app.traces.appendTrace(6, 0, Buffer.from("it ran"));
    clock.advance(6000);
    const { client, welcome } = await connectRunner(server, T.shared);
    expect(welcome.resume).toEqual([{ buildId: 5, traceBytes: 0, status: "running" }]);
    clock.advance(6000);
    server.realtime.runners.watchdog.sweep();
    expect(status(5).status).toBe("running");
    expect(status(6)).toMatchObject({ status: "failed", failureReason: "runner_system_failure" });
    expect(status(7)).toMatchObject({ status: "pending", runnerId: null, startedAt: null });
    client.send({ type: "finish", buildId: 5, state: "success", exitCode: 0, traceBytes: 0 });
    expect((await client.nextOf("finishAck")).status).toBe("success");
  });
});

describe("ownership", () => {
  it("refuses trace bytes and a second finish for a build the runner already finished", async () => {
    const { client } = await connectRunner(server, T.shared);
    client.send({ type: "claim", requestId: "r" });
    await client.nextOf("job");
    client.send({ type: "finish", buildId: 2, state: "success", exitCode: 0, traceBytes: 0 });
    expect((await client.nextOf("finishAck")).status).toBe("success");
    client.send({ type: "trace", buildId: 2, offset: 0, data: b64("late") });
    expect((await client.nextOf("error")).code).toBe("NOT_YOUR_BUILD");
    client.send({ type: "finish", buildId: 2, state: "failed", exitCode: 1, traceBytes: 0 });
    expect((await client.nextOf("error")).code).toBe("NOT_YOUR_BUILD");
    expect(status(2).status).toBe("success");
    expect(server.store.traces.read(2).byteLength).toBe(0);
  });
});

describe("traceAckJson", () => {
  it("writes exactly what JSON.stringify writes for the ack", () => {
    for (const [buildId, length] of [
      [1, 0],
      [2, 6],
      [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ] as const) {
      const ack = { type: "traceAck", buildId, length } as const;
      expect(traceAckJson(ack)).toBe(JSON.stringify(ack));
    }
  });
});
