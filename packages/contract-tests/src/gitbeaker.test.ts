// @gitbeaker/rest 43.8.0 in-process against the real server: auto-followed pagination with both scope
// forms, reads, downloads as Blobs, every action, and errors as GitbeakerRequestError with the status.

import { GitbeakerRequestError, Gitlab, type JobScope } from "@gitbeaker/rest";
import { strFromU8, unzipSync } from "fflate";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectRecentTimestamp } from "./expect-recent-timestamp.js";
import {
  ALL_JOB_IDS_DESC,
  type FixtureServer,
  JOBS,
  startFixtureServer,
  TOKENS,
} from "./start-fixture-server.js";

let server: FixtureServer;
let api: InstanceType<typeof Gitlab>;
beforeEach(async () => {
  server = await startFixtureServer();
  api = new Gitlab({ host: server.url, token: TOKENS.root });
});
afterEach(() => server.close());

const ids = (jobs: readonly { id: number }[]) => jobs.map((j) => j.id);
/** gitbeaker types `scope` as one status; the API (and gitbeaker's query encoding) take a list too. */
const scopes = (...s: JobScope[]) => s as unknown as JobScope;
const blobBytes = async (b: Blob) => new Uint8Array(await b.arrayBuffer());

/** The GitbeakerRequestError `promise` rejects with, and the HTTP status it carries. */
async function requestError(promise: Promise<unknown>): Promise<{ message: string; status: number }> {
  const e = await promise.then(
    () => {
      throw new Error("expected the request to fail");
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(GitbeakerRequestError);
  const err = e as GitbeakerRequestError;
  return { message: err.message, status: err.cause?.response.status ?? 0 };
}

describe("listing jobs", () => {
  it("auto-follows Link across pages with a scope array (scope[]=)", async () => {
    const jobs = await api.Jobs.all(1, { scope: scopes("failed", "success"), perPage: 2 });
    expect(ids(jobs)).toEqual([12, 11, 10, 3, 2, 1]);
  });

  it("filters with a scope string (scope=) including manual", async () => {
    const jobs = await api.Jobs.all(1, { scope: "manual" });
    expect(ids(jobs)).toEqual([JOBS.manual]);
  });

  it("collects all 12 jobs 5 per page, with paginationInfo from the X- headers of the last page", async () => {
    const { data, paginationInfo } = await api.Jobs.all(1, { perPage: 5, showExpanded: true });
    expect(ids(data)).toEqual(ALL_JOB_IDS_DESC);
    expect(paginationInfo).toEqual({
      total: 12,
      next: null,
      current: 3,
      previous: 2,
      perPage: 5,
      totalPages: 3,
    });
  });

  it("follows Link rel=next when asked for keyset pagination (unknown params are ignored)", async () => {
    const jobs = await api.Jobs.all(1, { pagination: "keyset", perPage: 5, orderBy: "id", sort: "desc" });
    expect(ids(jobs)).toEqual(ALL_JOB_IDS_DESC);
  });

  it("stops after maxPages pages", async () => {
    const jobs = await api.Jobs.all(1, { perPage: 5, maxPages: 2 });
    expect(ids(jobs)).toEqual(ALL_JOB_IDS_DESC.slice(0, 10));
  });

  it("lists one pipeline's jobs oldest first, retried ones only with includeRetried", async () => {
    await api.Jobs.retry(1, JOBS.failed);
    expect(ids(await api.Jobs.all(1, { pipelineId: 1 }))).toEqual([1, 3, 13]);
    expect(ids(await api.Jobs.all(1, { pipelineId: 1, includeRetried: true }))).toEqual([1, 2, 3, 13]);
    expect(ids(await api.Jobs.all(1, { pipelineId: 1, scope: "success" }))).toEqual([1, 3]);
  });

  it("finds the project by its URL-encoded path", async () => {
    expect((await api.Jobs.all("acme/app", { perPage: 100 })).length).toBe(12);
  });
});

describe("reading one job", () => {
  it("shows the Job entity exactly as the server renders it", async () => {
    const job = await api.Jobs.show(1, JOBS.withArtifacts);
    const raw = await fetch(`${server.url}/api/v4/projects/1/jobs/1`, {
      headers: { "PRIVATE-TOKEN": TOKENS.root },
    });
    expect(job).toEqual(await raw.json());
    expect(job.tag_list).toEqual(["docker", "linux"]);
  });

  it("reads the trace as a string with secrets masked", async () => {
    expect(await api.Jobs.showLog(1, JOBS.withArtifacts)).toBe(
      `compiling with ${"x".repeat("RUNNERS-SECRET".length)}\ndone\n`,
    );
  });

  it("downloads the artifacts zip, one file of it, and the latest artifacts of a ref", async () => {
    const archive = await api.JobArtifacts.downloadArchive(1, { jobId: JOBS.withArtifacts });
    expect(Object.keys(unzipSync(await blobBytes(archive))).sort()).toEqual([
      "out/notes.md",
      "out/result.txt",
    ]);
    const file = await api.JobArtifacts.downloadArchive(1, {
      jobId: JOBS.withArtifacts,
      artifactPath: "out/result.txt",
    });
    expect(await file.text()).toBe("result 42\n");
    const byRef = await api.JobArtifacts.downloadArchive(1, { ref: "master", job: "package" });
    expect(strFromU8(unzipSync(await blobBytes(byRef))["dist/app.txt"]!)).toBe("app v3\n");
    const rawByRef = await api.JobArtifacts.downloadArchive(1, {
      ref: "master",
      job: "package",
      artifactPath: "dist/app.txt",
    });
    expect(await rawByRef.text()).toBe("app v3\n");
  });
});

describe("actions", () => {
  it("cancels a running job", async () => {
    expect(await api.Jobs.cancel(1, JOBS.running)).toMatchObject({ id: JOBS.running, status: "canceled" });
  });

  it("retries into a new pending job owned by the caller", async () => {
    const fresh = await api.Jobs.retry(1, JOBS.failed);
    expect(fresh).toMatchObject({ id: 13, status: "pending", name: "test" });
    expect((fresh.user as { username: string }).username).toBe("root");
  });

  it("erases: erased_at set, empty trace, artifacts 404", async () => {
    const erased = await api.Jobs.erase(1, JOBS.withArtifacts);
    expectRecentTimestamp(erased.erased_at);
    expect(erased).not.toHaveProperty("artifacts_file");
    expect(await api.Jobs.showLog(1, JOBS.withArtifacts)).toBe("");
    const e = await requestError(api.JobArtifacts.downloadArchive(1, { jobId: JOBS.withArtifacts }));
    expect(e).toEqual({ message: "404 Not Found", status: 404 });
  });

  it("keeps artifacts", async () => {
    const kept = await api.JobArtifacts.keep(1, JOBS.withArtifacts);
    expect(kept.artifacts_expire_at).toBeNull();
    expect(kept.artifacts_file).toEqual({ filename: "artifacts.zip", size: expect.any(Number) });
  });

  it("plays a manual job", async () => {
    const played = await api.Jobs.play(1, JOBS.manual);
    expect(played).toMatchObject({ id: JOBS.manual, status: "pending" });
    expect((played.user as { username: string }).username).toBe("root");
  });

  it("removes artifacts with 204, after which downloads answer 404", async () => {
    expect(await api.JobArtifacts.remove(1, { jobId: JOBS.withArtifacts })).toBeNull();
    const job = await api.Jobs.show(1, JOBS.withArtifacts);
    expect(job).not.toHaveProperty("artifacts_file");
    const e = await requestError(
      api.JobArtifacts.downloadArchive(1, { jobId: JOBS.withArtifacts, artifactPath: "out/result.txt" }),
    );
    expect(e.status).toBe(404);
  });
});

describe("errors surface as GitbeakerRequestError with cause.response.status", () => {
  it("401 for a bad token", async () => {
    const bad = new Gitlab({ host: server.url, token: "not-a-token" });
    expect(await requestError(bad.Jobs.show(1, 1))).toEqual({ message: "401 Unauthorized", status: 401 });
  });

  it("404 Not found for a job of no such id and for a missing pipeline", async () => {
    expect(await requestError(api.Jobs.show(1, 999))).toEqual({ message: "404 Not found", status: 404 });
    expect(await requestError(api.Jobs.all(1, { pipelineId: 99 }))).toEqual({
      message: "404 Not found",
      status: 404,
    });
  });

  it("403 with the Job wording for retry and erase of a running job", async () => {
    expect(await requestError(api.Jobs.retry(1, JOBS.running))).toEqual({
      message: "403 Forbidden - Job is not retryable",
      status: 403,
    });
    expect(await requestError(api.Jobs.erase(1, JOBS.running))).toEqual({
      message: "403 Forbidden - Job is not erasable!",
      status: 403,
    });
  });

  it("400 for a scope value no job can have", async () => {
    expect(await requestError(api.Jobs.all(1, { scope: "bogus" as JobScope }))).toEqual({
      message: "scope does not have a valid value",
      status: 400,
    });
  });
});

describe("around the jobs", () => {
  it("reads the current user, the project and its pipelines with an OAuth token", async () => {
    const oauth = new Gitlab({ host: server.url, oauthToken: TOKENS.root });
    expect((await oauth.Users.showCurrentUser()).username).toBe("root");
    expect((await oauth.Projects.show("acme/app")).id).toBe(1);
    expect(ids(await oauth.Pipelines.all(1, { perPage: 1 }))).toEqual([3, 2, 1]);
    expect(ids(await oauth.Pipelines.all(1, { status: "running" }))).toEqual([2]);
    expect((await oauth.Pipelines.show(1, 1)).status).toBe("failed");
  });

  it("reads with a running job's job token and is refused actions", async () => {
    const job = new Gitlab({ host: server.url, jobToken: TOKENS.runningJob });
    expect((await job.Jobs.show(1, JOBS.withArtifacts)).name).toBe("compile");
    expect((await requestError(job.Jobs.cancel(1, JOBS.withArtifacts))).status).toBe(403);
  });
});
