// The v4 Job entity's exact key set and order for each case it renders differently. A key added to or
// dropped from the entity fails here.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

type Entity = Record<string, unknown>;
const job = async (id: number): Promise<Entity> => {
  const res = await api(server, `/api/v4/projects/1/jobs/${id}`, { token: V4_TOKENS.root });
  expect(res.status).toBe(200);
  return (await res.json()) as Entity;
};

/** JobBasic's keys before `failure_reason`. */
const BASIC_HEAD = [
  "id",
  "status",
  "stage",
  "name",
  "ref",
  "tag",
  "coverage",
  "allow_failure",
  "created_at",
  "started_at",
  "finished_at",
  "erased_at",
  "duration",
  "queued_duration",
  "user",
  "commit",
  "pipeline",
];
const BASIC_TAIL = ["web_url", "project"];
const JOB_TAIL = ["artifacts", "runner", "runner_manager", "artifacts_expire_at", "archived", "tag_list"];

describe("Job entity key sets", () => {
  it("a successful job with artifacts: artifacts_file, no failure_reason", async () => {
    expect(Object.keys(await job(1))).toEqual([...BASIC_HEAD, ...BASIC_TAIL, "artifacts_file", ...JOB_TAIL]);
  });

  it("a failed job without artifacts: failure_reason, no artifacts_file", async () => {
    expect(Object.keys(await job(2))).toEqual([...BASIC_HEAD, "failure_reason", ...BASIC_TAIL, ...JOB_TAIL]);
  });

  it("a successful job whose artifacts expired: neither artifacts_file nor failure_reason", async () => {
    expect(Object.keys(await job(3))).toEqual([...BASIC_HEAD, ...BASIC_TAIL, ...JOB_TAIL]);
  });

  it("a running job: neither artifacts_file nor failure_reason", async () => {
    expect(Object.keys(await job(4))).toEqual([...BASIC_HEAD, ...BASIC_TAIL, ...JOB_TAIL]);
  });

  it("the embedded user, commit, pipeline and runner have their v4 key sets", async () => {
    const running = await job(4);
    expect(Object.keys(running.user as Entity)).toEqual([
      "id",
      "username",
      "name",
      "state",
      "locked",
      "avatar_url",
      "web_url",
      "created_at",
      "bio",
      "location",
      "public_email",
      "skype",
      "linkedin",
      "twitter",
      "discord",
      "website_url",
      "organization",
      "job_title",
      "pronouns",
      "bot",
    ]);
    expect(Object.keys(running.commit as Entity)).toEqual([
      "id",
      "short_id",
      "created_at",
      "parent_ids",
      "title",
      "message",
      "author_name",
      "author_email",
      "authored_date",
      "committer_name",
      "committer_email",
      "committed_date",
      "trailers",
      "extended_trailers",
      "web_url",
    ]);
    expect(Object.keys(running.pipeline as Entity)).toEqual([
      "id",
      "iid",
      "project_id",
      "sha",
      "ref",
      "status",
      "source",
      "created_at",
      "updated_at",
      "web_url",
    ]);
    expect(Object.keys(running.runner as Entity)).toEqual([
      "id",
      "description",
      "ip_address",
      "active",
      "paused",
      "is_shared",
      "runner_type",
      "name",
      "online",
      "status",
    ]);
  });
});

describe("Job entity values", () => {
  it("renders durations, urls, artifacts and sorted tags", async () => {
    const done = await job(1);
    expect(done).toMatchObject({
      duration: 30,
      web_url: "http://gitlab.example/acme/app/-/jobs/1",
      project: { ci_job_token_scope_enabled: false },
      artifacts_expire_at: "2030-01-01T00:00:00.000Z",
      archived: false,
      runner_manager: null,
    });
    expect(done.artifacts).toEqual([
      { file_type: "archive", size: expect.any(Number), filename: "artifacts.zip", file_format: "zip" },
      { file_type: "trace", size: 6, filename: "job.log", file_format: null },
    ]);
    const running = await job(4);
    // The test clock stands at 2026-01-01T00:00:00Z, the moment the job started.
    expect(running).toMatchObject({ duration: 0, queued_duration: 60, tag_list: ["a", "b"], artifacts: [] });
    expect((await job(2)).failure_reason).toBe("script_failure");
  });
});
