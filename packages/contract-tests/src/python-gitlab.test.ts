// python-gitlab (Debian's python3-gitlab, run by /usr/bin/python3) against the real server: lists with
// both scope forms and pagination, reads, downloads, every action, and errors as its own exception types.

import { strFromU8, unzipSync } from "fflate";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectRecentTimestamp } from "./expect-recent-timestamp.js";
import { type PythonTarget, runPythonGitlab } from "./run-python-gitlab.js";
import {
  ALL_JOB_IDS_DESC,
  type FixtureServer,
  JOBS,
  startFixtureServer,
  TOKENS,
} from "./start-fixture-server.js";

type Json = Record<string, unknown>;
interface GlError {
  class: string;
  bases: string[];
  response_code: number;
  error_message: string;
  str: string;
}
interface JobSummary {
  id: number;
  status: string;
  name: string;
}

let server: FixtureServer;
beforeEach(async () => {
  server = await startFixtureServer();
});
afterEach(() => server.close());

const as = (token: string, auth: PythonTarget["auth"] = "private"): PythonTarget => ({
  url: server.url,
  token,
  auth,
});
const py = async <T>(scenario: string, args: Json = {}, target = as(TOKENS.root)): Promise<T> =>
  (await runPythonGitlab<T>(target, scenario, args)).result;
const ids = (jobs: JobSummary[]) => jobs.map((j) => j.id);
const v3 = async (path: string, method = "GET") => {
  const res = await fetch(`${server.url}/api/v3/projects/1${path}`, {
    method,
    headers: { "PRIVATE-TOKEN": TOKENS.root },
  });
  return { status: res.status, body: (await res.json()) as Json };
};

describe("python-gitlab itself", () => {
  it("is importable by Debian's python and is the 3.x line the spec was observed with", async () => {
    const out = await runPythonGitlab<unknown>(as(TOKENS.root), "list_jobs", { kwargs: { per_page: 1 } });
    expect(out.gitlab_version).toMatch(/^3\.\d+\.\d+$/);
  });
});

describe("listing jobs", () => {
  it("filters by a scope list (scope[]=) and follows Link across pages with get_all", async () => {
    const r = await py<{ jobs: JobSummary[] }>("list_jobs", {
      kwargs: { scope: ["failed", "success"], get_all: true, per_page: 2 },
    });
    expect(ids(r.jobs)).toEqual([12, 11, 10, 3, 2, 1]);
    expect(new Set(r.jobs.map((j) => j.status))).toEqual(new Set(["failed", "success"]));
  });

  it("filters by a single scope string, manual included", async () => {
    const r = await py<{ jobs: JobSummary[] }>("list_jobs", { kwargs: { scope: "manual" } });
    expect(r.jobs).toEqual([{ id: JOBS.manual, status: "manual", name: "deploy" }]);
  });

  it("fetches every job 5 per page with get_all, newest first", async () => {
    const r = await py<{ jobs: JobSummary[]; warnings: string[] }>("list_jobs", {
      kwargs: { get_all: true, per_page: 5 },
    });
    expect(ids(r.jobs)).toEqual(ALL_JOB_IDS_DESC);
    expect(r.warnings).toEqual([]);
  });

  it("returns one page and warns about the rest without get_all", async () => {
    const r = await py<{ jobs: JobSummary[]; warnings: string[] }>("list_jobs", { kwargs: { per_page: 5 } });
    expect(ids(r.jobs)).toEqual(ALL_JOB_IDS_DESC.slice(0, 5));
    expect(r.warnings.join("\n")).toContain("get_all=True");
  });

  it("lists the jobs of a project named by its path (sent URL-encoded)", async () => {
    const r = await py<{ jobs: JobSummary[] }>("list_jobs", {
      project: "acme/app",
      kwargs: { get_all: true },
    });
    expect(ids(r.jobs)).toEqual(ALL_JOB_IDS_DESC);
  });

  it("exposes X-Total, X-Total-Pages and the page numbers through a lazy iterator", async () => {
    const r = await py<{ meta: Json; ids: number[] }>("iterate_jobs", { kwargs: { per_page: 5 } });
    expect(r.meta).toEqual({
      total: 12,
      total_pages: 3,
      per_page: 5,
      current_page: 1,
      next_page: 2,
      len: 12,
    });
    expect(r.ids).toEqual(ALL_JOB_IDS_DESC);
  });

  it("lists a pipeline's jobs oldest first with scope=success sent without brackets", async () => {
    const r = await py<{ jobs: JobSummary[] }>("pipeline_jobs", {
      pipeline_id: 1,
      kwargs: { scope: "success", get_all: true },
    });
    expect(ids(r.jobs)).toEqual([1, 3]);
  });
});

describe("reading one job", () => {
  it("gets a ProjectJob whose attributes are the server's Job entity", async () => {
    const r = await py<{ class: string; attributes: Json }>("get_job", { job_id: JOBS.withArtifacts });
    expect(r.class).toBe("ProjectJob");
    const raw = await fetch(`${server.url}/api/v4/projects/1/jobs/1`, {
      headers: { "PRIVATE-TOKEN": TOKENS.root },
    });
    // python-gitlab adds the parent's id (as given to projects.get) to a child object's attributes.
    expect(r.attributes).toEqual({ ...((await raw.json()) as Json), project_id: "1" });
    expect(r.attributes.artifacts_file).toEqual({ filename: "artifacts.zip", size: expect.any(Number) });
  });

  it("reads the trace as bytes with the runners token masked", async () => {
    const r = await py<{ type: string; text: string }>("trace", { job_id: JOBS.withArtifacts });
    expect(r.type).toBe("bytes");
    expect(r.text).toBe(`compiling with ${"x".repeat("RUNNERS-SECRET".length)}\ndone\n`);
  });

  it("downloads the artifacts zip and one file out of it", async () => {
    const r = await py<{ archive_b64: string; file_b64: string }>("artifacts", {
      job_id: JOBS.withArtifacts,
      path: "out/result.txt",
    });
    const entries = unzipSync(Buffer.from(r.archive_b64, "base64"));
    expect(Object.keys(entries).sort()).toEqual(["out/notes.md", "out/result.txt"]);
    expect(strFromU8(entries["out/result.txt"]!)).toBe("result 42\n");
    expect(Buffer.from(r.file_b64, "base64").toString()).toBe("result 42\n");
  });
});

describe("actions", () => {
  it("cancels a running job and returns the job as a dict", async () => {
    const r = await py<{ type: string; result: Json }>("cancel", { job_id: JOBS.running });
    expect(r.type).toBe("dict");
    expect(r.result).toMatchObject({ id: JOBS.running, status: "canceled" });
    expect((await v3(`/builds/${JOBS.running}`)).body.status).toBe("canceled");
  });

  it("retries a failed job into a new pending job owned by the caller", async () => {
    const r = await py<{ type: string; result: Json }>("retry", { job_id: JOBS.failed });
    expect(r.type).toBe("dict");
    expect(r.result).toMatchObject({ id: 13, status: "pending", name: "test" });
    expect((r.result.user as Json).username).toBe("root");
    expect((await v3("/builds/13")).body).toMatchObject({ id: 13, status: "pending", name: "test" });
  });

  it("erases a job: the trace is then empty and the artifacts are gone (404)", async () => {
    const r = await py<{ result: null; erased_at: string; trace: string; artifacts_error: GlError }>(
      "erase",
      {
        job_id: JOBS.withArtifacts,
      },
    );
    expect(r.result).toBeNull();
    expectRecentTimestamp(r.erased_at);
    expect(r.trace).toBe("");
    expect(r.artifacts_error).toMatchObject({ class: "GitlabGetError", response_code: 404 });
  });

  it("keeps artifacts: the expiry is cleared", async () => {
    const r = await py<{ result: null; artifacts_expire_at: string | null }>("keep", {
      job_id: JOBS.withArtifacts,
    });
    expect(r.result).toBeNull();
    expect(r.artifacts_expire_at).toBeNull();
  });

  it("plays a manual job: it becomes pending with the caller as its user", async () => {
    const r = await py<{ result: null; status: string; user: string }>("play", { job_id: JOBS.manual });
    expect(r).toEqual({ result: null, status: "pending", user: "root" });
  });

  it("deletes artifacts: the job has no artifacts_file and downloads answer 404", async () => {
    const r = await py<{ result: null; has_artifacts_file: boolean; artifacts_error: GlError }>(
      "delete_artifacts",
      { job_id: JOBS.withArtifacts },
    );
    expect(r.result).toBeNull();
    expect(r.has_artifacts_file).toBe(false);
    expect(r.artifacts_error).toMatchObject({ class: "GitlabGetError", response_code: 404 });
  });
});

describe("pipelines", () => {
  it("deletes a pipeline with pipeline.delete(): it and its jobs answer 404 after, a Developer gets 403", async () => {
    // https://docs.gitlab.com/17.0/ee/api/pipelines.html#delete-a-pipeline: Owners (and admins) only.
    const r = await py<{
      denied: GlError;
      result: null;
      pipeline_error: GlError;
      job_error: GlError;
      pipelines: number[];
    }>("delete_pipeline", { pipeline_id: 1, job_id: JOBS.withArtifacts, dev_token: TOKENS.dev });
    expect(r.denied).toMatchObject({ class: "GitlabDeleteError", response_code: 403 });
    expect(r.result).toBeNull();
    expect(r.pipeline_error).toMatchObject({
      class: "GitlabGetError",
      response_code: 404,
      error_message: "404 Not found",
    });
    expect(r.job_error).toMatchObject({ class: "GitlabGetError", response_code: 404 });
    expect(r.pipelines).toEqual([3, 2]);
  });
});

describe("commit statuses", () => {
  it("reports an external CI's status with commit.statuses.create and lists it with commit.statuses.list", async () => {
    // https://docs.gitlab.com/17.0/ee/api/commits.html#set-the-pipeline-status-of-a-commit: a status is a
    // job of stage `external` in the commit's newest pipeline; `running` then `success` moves the same one.
    const sha = "3".repeat(40);
    const r = await py<{
      running: Json;
      done: Json;
      listed: Array<{ id: number; name: string; status: string; target_url: string | null }>;
      bad_state: GlError;
      again: GlError;
    }>("commit_statuses", { sha });
    expect(r.running).toMatchObject({
      name: "external-ci",
      status: "running",
      sha,
      ref: "master",
      target_url: "https://ci.example/runs/1",
      description: "checks",
      allow_failure: false,
    });
    expect(r.done).toMatchObject({ id: r.running.id, status: "success" });
    expect(r.listed).toContainEqual({
      id: r.running.id,
      name: "external-ci",
      status: "success",
      target_url: "https://ci.example/runs/1",
    });
    // lib/api/commit_statuses.rb: Grape's `values:` check on `state`.
    expect(r.bad_state).toMatchObject({
      class: "GitlabCreateError",
      response_code: 400,
      error_message: "state does not have a valid value",
    });
    // Posting to a finished status starts a new one: running is legal again, as a fresh job.
    expect(r.again).toBeNull();
  });
});

describe("errors surface as python-gitlab's exception types", () => {
  it("maps 401, 404, not retryable, not erasable, unplayable and a bad scope", async () => {
    const r = await py<Record<string, GlError>>("errors", { running_job_id: JOBS.running });
    expect(r.unauthorized).toMatchObject({ class: "GitlabAuthenticationError", response_code: 401 });
    expect(r.unauthorized!.error_message).toBe("401 Unauthorized");
    expect(r.unauthorized_list).toMatchObject({ class: "GitlabAuthenticationError", response_code: 401 });
    expect(r.not_found).toMatchObject({
      class: "GitlabGetError",
      response_code: 404,
      error_message: "404 Not found",
    });
    expect(r.not_retryable).toMatchObject({
      class: "GitlabJobRetryError",
      response_code: 403,
      str: "403: 403 Forbidden - Job is not retryable",
    });
    expect(r.not_erasable).toMatchObject({
      class: "GitlabJobEraseError",
      response_code: 403,
      error_message: "403 Forbidden - Job is not erasable!",
    });
    expect(r.unplayable).toMatchObject({
      class: "GitlabJobPlayError",
      response_code: 400,
      // GitLab 17.0's bad_request!("Unplayable Job").
      error_message: "400 Bad request - Unplayable Job",
    });
    expect(r.bad_scope).toMatchObject({
      class: "GitlabListError",
      response_code: 400,
      error_message: "scope does not have a valid value",
    });
    expect(r.no_artifacts).toMatchObject({ class: "GitlabGetError", response_code: 404 });
  });

  it("refuses a reporter's cancel and retry with 403 but lets them read", async () => {
    const r = await py<Record<string, GlError | null>>(
      "forbidden",
      { job_id: JOBS.failed, actions: ["get", "cancel", "retry", "erase", "play"] },
      as(TOKENS.reporter),
    );
    expect(r.get).toBeNull();
    expect(r.cancel).toMatchObject({ class: "GitlabJobCancelError", response_code: 403 });
    expect(r.retry).toMatchObject({ class: "GitlabJobRetryError", response_code: 403 });
    expect(r.erase).toMatchObject({ class: "GitlabJobEraseError", response_code: 403 });
    expect(r.play).toMatchObject({ class: "GitlabJobPlayError", response_code: 403 });
  });

  it("refuses a developer's artifact deletion (Maintainer only) but allows keeping them", async () => {
    const r = await py<Record<string, GlError | null>>(
      "forbidden",
      { job_id: JOBS.withArtifacts, actions: ["delete_artifacts", "keep_artifacts"] },
      as(TOKENS.dev),
    );
    expect(r.delete_artifacts).toMatchObject({
      class: "GitlabCreateError",
      response_code: 403,
      error_message: "403 Forbidden",
    });
    expect(r.keep_artifacts).toBeNull();
  });
});

describe("around the jobs", () => {
  it("authenticates with an OAuth bearer token and reads user, version, project and pipelines", async () => {
    const r = await py<Json>("instance", {}, as(TOKENS.root, "oauth"));
    expect(r).toEqual({
      user: "root",
      version: ["17.0.0", "buildsim"],
      project: { id: 1, path_with_namespace: "acme/app" },
      pipelines: [3, 2, 1],
      success_pipelines: [3],
      pipeline: "running",
    });
  });

  it("reads its own project with a running job's JOB-TOKEN but may not cancel", async () => {
    const r = await py<{ get: JobSummary; list: number; cancel: GlError }>(
      "job_token",
      { job_id: JOBS.withArtifacts },
      as(TOKENS.runningJob, "job"),
    );
    expect(r.get).toEqual({ id: 1, status: "success", name: "compile" });
    expect(r.list).toBe(12);
    expect(r.cancel).toMatchObject({ class: "GitlabJobCancelError", response_code: 403 });
  });
});
