// Jobs without a runner on the handle: scripts the server plays when a matching job is queued (trace in
// pieces over a duration on the server's clock, artifacts, exit code), and steps by hand. A real server
// on port 0, real SQLite, real HTTP and a real trace watcher over WebSocket.

import { afterEach, describe, expect, it } from "vitest";
import { ControlInputError } from "../http/control-input-error.js";
import type { RunningServer } from "../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../test-support/jobs-v4-seed.js";
import { connectWatcher } from "../test-support/protocol-client.js";
import { startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ROOT = V4_TOKENS.root;
const call = (path: string, method = "GET") =>
  fetch(`${server!.url}${path}`, { method, headers: { "PRIVATE-TOKEN": ROOT } });
const job = async (id: number) =>
  (await (await call(`/api/v4/projects/1/jobs/${id}`)).json()) as Record<string, unknown>;
const trace = async (id: number) => (await call(`/api/v4/projects/1/jobs/${id}/trace`)).text();
/** Retries the seed's failed `test` job (GitLab: 201 with the new, pending job) and returns its id. */
const retryTest = async () => {
  const res = await call("/api/v4/projects/1/jobs/2/retry", "POST");
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
};

describe("a job script", () => {
  it("plays a queued job on the clock: trace in pieces, artifacts and exit code at the end", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    server.clock.freeze();
    server.jobs.add({
      name: "test",
      trace: ["one\n", "two\n", "three\n"],
      duration: "3 mins",
      exitCode: 2,
      artifacts: { files: { "report.txt": "R" }, expireIn: "1 week" },
    });
    const id = await retryTest();
    const started = await job(id);
    expect(started.status).toBe("running");
    expect(started.started_at).toBe("2026-01-01T00:00:00.000Z");
    expect(started.runner).toBeNull();
    expect(await trace(id)).toBe("one\n");
    server.clock.advance("1 min");
    expect(await trace(id)).toBe("one\ntwo\n");
    server.clock.advance("1 min");
    expect((await job(id)).status).toBe("running");
    server.clock.advance("1 min");
    // GitLab: a script that exits non-zero fails the job with script_failure (doc/ci/jobs, failure reasons).
    const ended = await job(id);
    expect(ended).toMatchObject({
      status: "failed",
      failure_reason: "script_failure",
      duration: 180,
      finished_at: "2026-01-01T00:03:00.000Z",
      artifacts_expire_at: "2026-01-08T00:03:00.000Z",
    });
    expect(await trace(id)).toBe("one\ntwo\nthree\n");
    expect(await (await call(`/api/v4/projects/1/jobs/${id}/artifacts/report.txt`)).text()).toBe("R");
    expect(server.jobs.list()).toMatchObject([{ id: "script-1", name: "test", plays: 1 }]);
  });

  it("streams the trace to a live watcher as a runner's would, then ends it with the status", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    server.clock.freeze();
    server.jobs.add({ name: "test", trace: ["a", "b"], duration: 2000, times: 1 });
    const id = await retryTest();
    const watcher = await connectWatcher(server, { project: 1, build: id, token: ROOT });
    const first = await watcher.nextOf("chunk", ["status"]);
    expect(Buffer.from(first.data, "base64").toString()).toBe("a");
    server.clock.advance(1000);
    const second = await watcher.nextOf("chunk", ["status"]);
    expect({ offset: second.offset, text: Buffer.from(second.data, "base64").toString() }).toEqual({
      offset: 1,
      text: "b",
    });
    server.clock.advance(1000);
    expect(await watcher.nextOf("end", ["status"])).toEqual({ type: "end", status: "success", length: 2 });
    await watcher.close();
    // `times: 1`: spent, so the next retry waits for a runner.
    expect(server.jobs.list()).toEqual([]);
    expect((await job(await retryTest())).status).toBe("pending");
  });

  it("stops playing a job a user canceled, and keeps a job past its timeout to GitLab's timeout failure", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED, realtime: { timeoutGraceMs: 0 } });
    server.clock.freeze();
    server.jobs.add({ name: "test", duration: "2 hours", trace: ["x", "y"] });
    const canceled = await retryTest();
    expect((await call(`/api/v4/projects/1/jobs/${canceled}/cancel`, "POST")).status).toBe(201);
    server.clock.advance("1 hour");
    expect(await trace(canceled)).toBe("x");
    expect((await job(canceled)).status).toBe("canceled");
    // The default timeout is 3600 s: past it, the watchdog fails the job (stuck_or_timeout_failure).
    const id = await retryTest();
    server.clock.advance("61 mins");
    server.clock.advance(1);
    expect(await job(id)).toMatchObject({ status: "failed", failure_reason: "stuck_or_timeout_failure" });
  });

  it("refuses a bad script whole, naming the field", () => {
    return startTestServer({ seedText: JOBS_V4_SEED }).then((s) => {
      server = s;
      expect(() => s.jobs.add([{ name: "a" }, { name: "b", duration: "soon" }])).toThrow(
        new ControlInputError('scripts.1.duration is invalid (a duration such as "3 mins" or "1h 30m")'),
      );
      expect(() => s.jobs.add({ name: "a", exitCode: 300 } as never)).toThrow(/^script\.exitCode is invalid/);
      expect(() => s.jobs.add({ name: "a", colour: "red" } as never)).toThrow(
        /^script\.colour is not a known field/,
      );
      expect(s.jobs.list()).toEqual([]);
    });
  });
});

describe("job steps by hand", () => {
  it("starts, logs, attaches and finishes a job, through the build machine", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    const id = await retryTest();
    const steps = server.jobs.steps;
    expect(steps.start(id)).toMatchObject({ id, status: "running" });
    expect(steps.appendTrace(id, "50 MB later\n")).toMatchObject({ traceBytes: 12 });
    steps.attachArtifacts(id, { contents: "zip bytes", filename: "out.zip" });
    expect(steps.finish(id, { failureReason: "api_failure" })).toMatchObject({
      status: "failed",
      failureReason: "api_failure",
    });
    expect(await job(id)).toMatchObject({
      status: "failed",
      failure_reason: "api_failure",
      artifacts_file: { filename: "out.zip", size: 9 },
    });
  });

  // GitLab's state machine refuses `run` from a finished status; the words are Rails' transition error.
  it("refuses what the build machine refuses, and changes nothing", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    expect(() => server!.jobs.steps.start(1)).toThrow(
      new ControlInputError(
        'Cannot transition status via :run from :success (Reason(s): Status cannot transition via "run")',
      ),
    );
    expect(() => server!.jobs.steps.appendTrace(1, "x")).toThrow(
      "cannot append to the trace of job 1: it is success, not running",
    );
    expect(() => server!.jobs.steps.finish(4, { exitCode: 999 } as never)).toThrow(
      /^outcome\.exitCode is invalid/,
    );
    expect(await job(1)).toMatchObject({ status: "success" });
    expect(await trace(1)).toBe("built\n");
  });
});
