// The clock control on the handle startServer returns: freeze, set and advance the server's time, and
// everything time-based follows (durations, Date headers, artifact expiry, delayed jobs, heartbeat and job
// timeouts). A real server on port 0, real SQLite, real HTTP; the seed's times are fixed, so is the clock.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ControlInputError } from "../http/control-input-error.js";
import { registerLocalProject } from "../services/local-project.js";
import type { RunningServer } from "../start-server.js";
import { startServer } from "../start-server.js";
import { gitIn } from "../test-support/git-in.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../test-support/jobs-v4-seed.js";
import { startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer | undefined;
let repo: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (repo) rmSync(repo, { recursive: true, force: true });
  repo = undefined;
});

const ROOT = V4_TOKENS.root;
const get = (s: RunningServer, p: string) => fetch(`${s.url}${p}`, { headers: { "PRIVATE-TOKEN": ROOT } });
const job = async (s: RunningServer, id: number) =>
  (await (await get(s, `/api/v4/projects/1/jobs/${id}`)).json()) as Record<string, unknown>;

describe("the clock control", () => {
  // GitLab's job entity: `duration` of a running job is now - started_at (Ci::Build#duration).
  it("freezes time: a running job's duration and the Date header stand still until it is advanced", async () => {
    server = await startServer({ db: ":memory:", seedText: JOBS_V4_SEED, log: () => {}, webUiDir: false });
    expect(server.clock.info().frozen).toBe(false);
    const info = server.clock.freeze("2026-01-01T00:10:00Z");
    expect(info).toEqual({ now: "2026-01-01T00:10:00.000Z", frozen: true });
    const res = await get(server, "/api/v4/projects/1/jobs/4");
    expect(res.headers.get("date")).toBe("Thu, 01 Jan 2026 00:10:00 GMT");
    expect(((await res.json()) as { duration: number }).duration).toBe(600);
    await new Promise((r) => setTimeout(r, 20));
    expect((await job(server, 4)).duration).toBe(600);
    server.clock.advance("1 min");
    expect((await job(server, 4)).duration).toBe(660);
    server.clock.advance(500);
    expect(server.clock.info().now).toBe("2026-01-01T00:11:00.500Z");
  });

  // `artifacts_file` is shown, and a file of the archive served, only while the artifacts have not expired
  // (Ci::Build#artifacts_expired?; doc/api/job_artifacts.md "Download a single artifact file by job ID"
  // answers 404 without them).
  it("lets a job's artifacts expire when the clock passes their expire_at", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    const download = "/api/v4/projects/1/jobs/1/artifacts/out/a.txt";
    expect((await get(server, download)).status).toBe(200);
    expect((await job(server, 1)).artifacts_file).toBeDefined();
    server.clock.set("2030-01-01T00:00:00.001Z");
    expect((await get(server, download)).status).toBe(404);
    expect((await job(server, 1)).artifacts_file).toBeUndefined();
  });

  // A running job no runner has mentioned for heartbeatTimeoutMs and that never logged a byte was lost
  // on its way to the runner: it goes back to the queue (the watchdog's "lost job").
  it("requeues a running job whose runner went silent once the clock passes the heartbeat timeout", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED, realtime: { heartbeatTimeoutMs: 30_000 } });
    server.clock.freeze();
    server.clock.advance(29_000);
    expect((await job(server, 4)).status).toBe("running");
    server.clock.advance("2s");
    expect((await job(server, 4)).status).toBe("pending");
  });

  // A job past its `timeout` is stopped and fails with stuck_or_timeout_failure
  // (https://docs.gitlab.com/ci/runners/configure_runners/#set-the-maximum-job-timeout).
  it("times a running job out once the clock passes started_at + timeout and the grace period", async () => {
    server = await startTestServer({
      seedText: JOBS_V4_SEED,
      realtime: { heartbeatTimeoutMs: 24 * 3600_000, timeoutGraceMs: 5000 },
    });
    server.clock.freeze();
    server.clock.advance("59 mins");
    expect((await job(server, 4)).status).toBe("running");
    server.clock.advance("1 min");
    server.clock.advance("5s");
    const failed = await job(server, 4);
    expect(failed.status).toBe("failed");
    expect(failed.failure_reason).toBe("stuck_or_timeout_failure");
    expect(failed.finished_at).toBe("2026-01-01T01:00:05.000Z");
  });

  // The same rule for a job no runner holds (started by the controls): nobody is there to stop, so it
  // fails on the clock move that passes its timeout, not on a later one.
  it("fails a job started without a runner on the very clock move that passes its timeout", async () => {
    const seed = JOBS_V4_SEED.replace(
      "  - { id: 6, pipeline: 3, name: other, status: success }",
      "  - { id: 6, pipeline: 3, name: other, status: pending, timeout_s: 60 }",
    );
    server = await startTestServer({ seedText: seed, realtime: { timeoutGraceMs: 5000 } });
    server.clock.freeze("2026-02-01T00:00:00Z");
    server.jobs.steps.start(6);
    server.clock.advance("59s");
    const read = async () => (await (await get(server!, "/api/v4/projects/2/jobs/6")).json()) as object;
    expect(await read()).toMatchObject({ status: "running" });
    server.clock.advance("2s");
    const failed = await read();
    expect(failed).toMatchObject({
      status: "failed",
      failure_reason: "stuck_or_timeout_failure",
      finished_at: "2026-02-01T00:01:01.000Z",
    });
  });

  // A runner gets the grace period counted from the timeout, so one move past timeout + grace fails it.
  it("fails a runner's job past its timeout and grace period in one clock move", async () => {
    server = await startTestServer({
      seedText: JOBS_V4_SEED,
      realtime: { heartbeatTimeoutMs: 24 * 3600_000, timeoutGraceMs: 5000 },
    });
    server.clock.freeze();
    server.clock.advance("1h 1m");
    const failed = await job(server, 4);
    expect(failed).toMatchObject({ status: "failed", failure_reason: "stuck_or_timeout_failure" });
  });

  // https://docs.gitlab.com/ci/jobs/job_control/#run-a-job-after-a-delay: `scheduled` until start_in has
  // passed, then pending (Ci::BuildScheduleWorker runs at scheduled_at).
  it("starts a delayed job when the clock reaches its scheduled_at, stamped with that moment", async () => {
    repo = mkdtempSync(path.join(tmpdir(), "buildsim-clock-"));
    gitIn(repo, "init", "-q", "-b", "main");
    writeFileSync(
      path.join(repo, ".gitlab-ci.yml"),
      "later:\n  script: [echo]\n  when: delayed\n  start_in: 30 minutes\n",
    );
    gitIn(repo, "add", ".");
    gitIn(repo, "commit", "-qm", "CI");
    server = await startTestServer({});
    server.clock.freeze("2026-03-01T12:00:00Z");
    registerLocalProject(server.app, {
      pathWithNamespace: "local/demo",
      name: "demo",
      sourceDir: repo,
      defaultBranch: "main",
      ownerId: server.store.users.firstAdmin()!.id,
    });
    const created = await fetch(`${server.url}/api/v4/projects/1/pipeline?ref=main`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": server.token },
    });
    expect(created.status).toBe(201);
    const jobs = async () =>
      (await (
        await fetch(`${server!.url}/api/v4/projects/1/jobs`, { headers: { "PRIVATE-TOKEN": server!.token } })
      ).json()) as Array<{ status: string }>;
    expect((await jobs())[0]!.status).toBe("scheduled");
    server.clock.advance("29 mins");
    expect((await jobs())[0]!.status).toBe("scheduled");
    server.clock.advance("2 hours");
    expect((await jobs())[0]!.status).toBe("pending");
    const [build] = server.store.builds.listPending();
    expect(build?.queuedAt).toBe("2026-03-01T12:30:00.000Z");
  });

  it("refuses a time before a running job's start, naming the job, and stays where it was", async () => {
    server = await startTestServer({ seedText: JOBS_V4_SEED });
    server.clock.freeze();
    expect(() => server!.clock.set("2025-12-31T23:00:00Z")).toThrow(
      new ControlInputError(
        "at is before the start of running job 4 (started_at 2026-01-01T00:00:00.000Z); finish or cancel it first",
      ),
    );
    expect(() => server!.clock.set("yesterday")).toThrow(/^at must be an ISO 8601 time with a time zone/);
    expect(() => server!.clock.advance(-5)).toThrow(/^by must be milliseconds/);
    expect(server.clock.info().now).toBe("2026-01-01T00:00:00.000Z");
  });

  it("goes back to real time on reset", async () => {
    server = await startServer({ db: ":memory:", log: () => {}, webUiDir: false });
    server.clock.set("2040-01-01T00:00:00Z");
    expect(server.clock.info().now.startsWith("2040-")).toBe(true);
    server.reset();
    expect(Math.abs(Date.parse(server.clock.info().now) - Date.now())).toBeLessThan(5000);
    expect(server.clock.info().frozen).toBe(false);
    const res = await fetch(`${server.url}/api/v4/version`, { headers: { "PRIVATE-TOKEN": server.token } });
    expect(Math.abs(Date.parse(res.headers.get("date")!) - Date.now())).toBeLessThan(5000);
  });
});
