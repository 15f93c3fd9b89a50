// The clock, job scripts and fixture merges of buildsim's admin API (/-/buildsim/admin/) as real clients
// see their effects: python-gitlab reads a job the controlled clock timed out, @gitbeaker/rest follows a
// manual job a script plays without a runner, and reads a job merged in from a fixture.

import { Gitlab } from "@gitbeaker/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runPythonGitlab } from "./run-python-gitlab.js";
import { type FixtureServer, JOBS, startFixtureServer, TOKENS } from "./start-fixture-server.js";

let server: FixtureServer;
beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(() => server.close());

/** Calls the admin API as the fixture's admin; `body` is sent as JSON, or as YAML when it is text. */
async function admin(method: string, path: string, body?: unknown): Promise<Response> {
  const yaml = typeof body === "string";
  return fetch(`${server.url}/-/buildsim/admin/${path}`, {
    method,
    headers: { "PRIVATE-TOKEN": TOKENS.root, "Content-Type": yaml ? "application/yaml" : "application/json" },
    ...(body === undefined ? {} : { body: yaml ? body : JSON.stringify(body) }),
  });
}

describe("python-gitlab and the controlled clock", () => {
  // A job past its timeout fails with stuck_or_timeout_failure
  // (https://docs.gitlab.com/ci/runners/configure_runners/#set-the-maximum-job-timeout); the fixture's
  // pending job has the default hour. Started without a runner, it fails on the move that passes it.
  it("reads a job the clock moved past its timeout as failed with stuck_or_timeout_failure", async () => {
    expect((await admin("POST", "clock/freeze", { at: "2026-03-01T12:00:00Z" })).status).toBe(200);
    expect((await admin("POST", `jobs/${JOBS.pending}/start`)).status).toBe(200);
    expect((await admin("POST", "clock/advance", { by: "1h 1s" })).status).toBe(200);
    const { result } = await runPythonGitlab<{ class: string; attributes: Record<string, unknown> }>(
      { url: server.url, token: TOKENS.root },
      "get_job",
      { job_id: JOBS.pending },
    );
    expect(result.class).toBe("ProjectJob");
    expect(result.attributes).toMatchObject({
      status: "failed",
      failure_reason: "stuck_or_timeout_failure",
      started_at: "2026-03-01T12:00:00.000Z",
      finished_at: "2026-03-01T13:00:01.000Z",
      duration: 3601,
    });
  });
});

describe("@gitbeaker/rest and the controls", () => {
  it("follows a manual job a script plays without a runner: trace, three minutes, exit code 1", async () => {
    const api = new Gitlab({ host: server.url, token: TOKENS.root });
    await admin("POST", "clock/freeze", { at: "2026-03-01T12:00:00Z" });
    const added = await admin("POST", "scripts", {
      name: "deploy",
      trace: ["deploying\n", "boom\n"],
      duration: "3 mins",
      exitCode: 1,
    });
    expect(added.status).toBe(201);
    // GitLab answers a played manual job as pending (doc/api/jobs.md "Run a job"); the script takes it.
    expect(await api.Jobs.play(1, JOBS.manual)).toMatchObject({ id: JOBS.manual, status: "pending" });
    expect(await api.Jobs.show(1, JOBS.manual)).toMatchObject({ status: "running", runner: null });
    await admin("POST", "clock/advance", { by: "3 mins" });
    // A script exiting non-zero fails the job with script_failure (doc/ci/jobs, job failure reasons).
    expect(await api.Jobs.show(1, JOBS.manual)).toMatchObject({
      status: "failed",
      failure_reason: "script_failure",
      duration: 180,
    });
    expect(await api.Jobs.showLog(1, JOBS.manual)).toBe("deploying\nboom\n");
  });

  it("reads a job merged into the state from a fixture, and the state keeps its own jobs", async () => {
    const api = new Gitlab({ host: server.url, token: TOKENS.root });
    const before = (await api.Jobs.all(1, { pipelineId: 2 })).length;
    const merged = await admin(
      "PUT",
      "state?mode=merge",
      'builds:\n  - { id: 500, pipeline: 2, name: merged, status: success, trace: "from a fixture\\n" }\n',
    );
    expect(merged.status, await merged.clone().text()).toBe(204);
    expect(await api.Jobs.show(1, 500)).toMatchObject({ id: 500, name: "merged", status: "success" });
    expect(await api.Jobs.showLog(1, 500)).toBe("from a fixture\n");
    expect(await api.Jobs.all(1, { pipelineId: 2 })).toHaveLength(before + 1);
    const refused = await admin(
      "PUT",
      "state?mode=merge",
      "builds:\n  - { id: 501, pipeline: 404, name: x }\n",
    );
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: "fixture has 1 problem(s): builds[0].pipeline: must name a declared pipeline",
    });
  });
});
