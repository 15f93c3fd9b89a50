import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

// Behaviour per GitLab's spec/requests/api/commit_statuses_spec.rb, app/services/ci/create_commit_status_service.rb
// and https://docs.gitlab.com/17.0/ee/api/commits.html#commit-status.
const SHA1 = "1".repeat(40);
const SHA2 = "2".repeat(40);

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

const post = async (sha: string, body: Record<string, unknown>, token: string = V4_TOKENS.developer) => {
  const res = await api(server, `/api/v4/projects/1/statuses/${sha}`, {
    method: "POST",
    token,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const list = async (sha: string, query = "") => {
  const res = await api(server, `/api/v4/projects/1/repository/commits/${sha}/statuses${query}`, {
    token: V4_TOKENS.reporter,
  });
  return { status: res.status, body: (await res.json()) as Array<Record<string, unknown>> };
};

describe("POST /projects/:id/statuses/:sha", () => {
  it("keeps the new description, target URL and coverage of a status moved on, in its answer and in the list", async () => {
    const first = await post(SHA2, { state: "running", context: "vale-docs", description: "started" });
    expect(first.status).toBe(201);
    const done = await post(SHA2, {
      state: "success",
      context: "vale-docs",
      description: "all clean",
      target_url: "https://ci.example/lint",
      coverage: 42.5,
    });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({
      id: first.body.id,
      status: "success",
      description: "all clean",
      target_url: "https://ci.example/lint",
      coverage: 42.5,
    });
    const listed = (await list(SHA2)).body.find((s) => s.id === first.body.id);
    expect(listed).toMatchObject({
      status: "success",
      description: "all clean",
      target_url: "https://ci.example/lint",
    });
  });

  it("adds a job in the external stage of the commit's newest pipeline, which counts in its status", async () => {
    const created = await post(SHA2, {
      state: "running",
      context: "coverage",
      target_url: "https://ci.example/1",
      description: "checking",
      coverage: 80.5,
    });
    expect(created).toEqual({
      status: 201,
      body: {
        id: 8,
        sha: SHA2,
        ref: "feature",
        status: "running",
        name: "coverage",
        target_url: "https://ci.example/1",
        description: "checking",
        created_at: "2026-01-01T00:00:00.000Z",
        started_at: "2026-01-01T00:00:00.000Z",
        finished_at: null,
        allow_failure: false,
        coverage: 80.5,
        pipeline_id: 2,
        author: expect.objectContaining({ username: "developer" }),
      },
    });
    expect(server.store.builds.get(8)).toMatchObject({ stage: "external", stageIdx: 1_000_000 });
    // Moved by the build machine: the same status again is refused, with state_machines' words.
    expect(await post(SHA2, { state: "running", name: "coverage" })).toEqual({
      status: 400,
      body: {
        message:
          'Cannot transition status via :run from :running (Reason(s): Status cannot transition via "run")',
      },
    });
    expect((await post(SHA2, { state: "failed", name: "coverage" })).body).toMatchObject({
      id: 8,
      status: "failed",
    });
    expect(server.store.builds.get(8)?.failureReason).toBe("api_failure");
    // Not a CI job: no jobs API shows it, and no runner can claim it.
    const job = await api(server, "/api/v4/projects/1/jobs/8", { token: V4_TOKENS.developer });
    expect(job.status).toBe(404);
  });

  it("creates an external pipeline when the commit has none for the ref, and retries a finished status", async () => {
    const first = await post(SHA1, { state: "failed", ref: "release", name: "lint" });
    expect(first.status).toBe(201);
    const pipeline = server.store.pipelines.get(first.body.pipeline_id as number);
    expect(pipeline).toMatchObject({ ref: "release", source: "external", status: "failed" });
    const second = await post(SHA1, { state: "success", ref: "release", name: "lint" });
    expect(second.body).toMatchObject({ pipeline_id: pipeline?.id, status: "success" });
    expect(second.body.id).not.toBe(first.body.id);
    expect(server.store.builds.get(first.body.id as number)?.retried).toBe(true);
    expect(server.store.pipelines.get(pipeline!.id)?.status).toBe("success");
    const all = await list(SHA1, "?ref=release&all=true");
    expect(all.body.map((s) => s.id)).toEqual([first.body.id, second.body.id]);
    expect((await list(SHA1, "?ref=release")).body.map((s) => s.id)).toEqual([second.body.id]);
  });

  it("answers GitLab's errors for a missing state, an unknown commit, a bad URL and a job's name", async () => {
    expect(await post(SHA1, {})).toEqual({ status: 400, body: { error: "state is missing" } });
    expect(await post(SHA1, { state: "done" })).toEqual({
      status: 400,
      body: { error: "state does not have a valid value" },
    });
    expect(await post("f".repeat(40), { state: "pending" })).toEqual({
      status: 404,
      body: { message: "404 Commit Not Found" },
    });
    expect(await post(SHA1, { state: "pending", target_url: "git://example.com" })).toEqual({
      status: 400,
      body: { message: { target_url: ["is blocked: Only allowed schemes are http, https"] } },
    });
    expect(await post(SHA1, { state: "pending", name: "compile" })).toEqual({
      status: 400,
      body: { message: { name: ["has already been taken"] } },
    });
    expect(await post(SHA1, { state: "pending" }, V4_TOKENS.reporter)).toEqual({
      status: 403,
      body: { message: "403 Forbidden" },
    });
  });
});

describe("GET /projects/:id/repository/commits/:sha/statuses", () => {
  it("lists every job of the commit's pipelines, filtered and sorted as asked", async () => {
    const statuses = await list(SHA1);
    expect(statuses.body.map((s) => s.name)).toEqual(["compile", "test", "old"]);
    expect(statuses.body[0]).toMatchObject({ id: 1, status: "success", pipeline_id: 1, target_url: null });
    expect((await list(SHA1, "?name=test")).body.map((s) => s.id)).toEqual([2]);
    expect((await list(SHA1, "?sort=desc")).body.map((s) => s.id)).toEqual([3, 2, 1]);
    expect(await list(SHA1, "?order_by=name")).toEqual({
      status: 400,
      body: { error: "order_by does not have a valid value" } as never,
    });
    expect(await list("f".repeat(40))).toEqual({
      status: 404,
      body: { message: "404 Commit Not Found" } as never,
    });
  });
});
