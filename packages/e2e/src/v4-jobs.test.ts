import { ClientError, createClient, type TraceEvent } from "@buildsim/client";
import { type RunningServer, startServer } from "@buildsim/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testDatabase } from "../../../scripts/test-database.mjs";

const ROOT = "e2e-v4-root";
const OUTSIDER = "e2e-v4-outsider";
const SHA1 = "1".repeat(40);
const SHA2 = "2".repeat(40);
const SEED = `
users:
  - { id: 1, username: root, admin: true, tokens: [${ROOT}] }
  - { id: 2, username: outsider, tokens: [${OUTSIDER}] }
projects:
  - { id: 1, path: acme/app, runners_token: V4-RUNNERS-SECRET }
commits:
  - { project: 1, sha: "${SHA1}", message: "first" }
  - { project: 1, sha: "${SHA2}", message: "second" }
runners:
  - { id: 1, token: e2e-v4-runner, description: runner one, projects: [1] }
pipelines:
  - { id: 1, project: 1, sha: "${SHA1}", ref: master, user: root }
  - { id: 2, project: 1, sha: "${SHA2}", ref: feature, user: root }
builds:
  - id: 1
    pipeline: 1
    name: compile
    status: success
    user: root
    started_at: "2026-01-01T00:00:00.000Z"
    finished_at: "2026-01-01T00:00:30.000Z"
    trace: "built ✓ with V4-RUNNERS-SECRET\\n"
    artifacts: { files: { out/a.txt: "A\\n", "out/b c.txt": "B\\n" }, expire_at: "2030-01-01T00:00:00.000Z" }
  - { id: 2, pipeline: 1, name: test, status: failed, allow_failure: true, user: root, finished_at: "2026-01-01T00:01:00.000Z", trace: "boom\\n" }
  - { id: 3, pipeline: 1, name: lint, status: success, finished_at: "2026-01-01T00:01:00.000Z" }
  - { id: 4, pipeline: 2, name: check, status: running, runner: 1, user: root, started_at: "2026-01-01T00:00:00.000Z" }
  - { id: 5, pipeline: 2, name: deploy, stage: deploy, stage_idx: 1, when: manual, status: manual }
`;

let server: RunningServer;
beforeEach(async () => {
  server = await startServer({ db: testDatabase("e2e"), seedText: SEED, log: () => {} });
});
afterEach(async () => {
  await server.close();
});

const client = (token = ROOT) => createClient({ baseUrl: server.url, token, retry: false });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

async function failure(promise: Promise<unknown>): Promise<ClientError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a ClientError");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClientError);
  return error as ClientError;
}

describe("v4 jobs against the real server", () => {
  it("lists jobs newest first across pages, following Link with scope[] kept", async () => {
    const pages: number[][] = [];
    for await (const page of client()
      .v4.jobs.list(1, { scope: ["success", "failed"], perPage: 2 })
      .pages()) {
      pages.push(page.items.map((j) => j.id));
    }
    expect(pages).toEqual([[3, 2], [1]]);
  });

  it("lists one pipeline's jobs and reads the parsed pagination headers", async () => {
    const { items, pagination } = await client().v4.jobs.listForPipeline(1, 1).fetchPage();
    expect(items.map((j) => j.id).sort()).toEqual([1, 2, 3]);
    expect(pagination).toMatchObject({ total: 3, page: 1, nextPage: null });
  });

  it("gets a job as a JobEntity, by numeric id and by project path", async () => {
    const job = await client().v4.jobs.get("acme/app", 1);
    expect(job).toMatchObject({ id: 1, name: "compile", status: "success", ref: "master" });
    expect(job.pipeline.id).toBe(1);
    expect(job.commit?.id).toBe(SHA1);
  });

  it("reads the trace as text and as bytes, secrets masked", async () => {
    const expected = `built ✓ with ${"x".repeat("V4-RUNNERS-SECRET".length)}\n`;
    expect(await client().v4.jobs.trace(1, 1)).toBe(expected);
    expect(await client().v4.jobs.traceBytes(1, 1)).toEqual(new TextEncoder().encode(expected));
  });

  it("downloads the archive, single files, and the latest artifacts of a ref", async () => {
    const archive = await client().v4.jobs.artifacts(1, 1);
    expect(text(archive.subarray(0, 2))).toBe("PK");
    expect(text(await client().v4.jobs.artifactFile(1, 1, "out/a.txt"))).toBe("A\n");
    expect(text(await client().v4.jobs.artifactFile(1, 1, "out/b c.txt"))).toBe("B\n");
    expect(await client().v4.jobs.artifactsForRef(1, "master", "compile")).toEqual(archive);
    expect(text(await client().v4.jobs.artifactFileForRef(1, "master", "out/a.txt", "compile"))).toBe("A\n");
  });

  it("cancels, retries, plays, keeps, erases and deletes artifacts", async () => {
    expect((await client().v4.jobs.cancel(1, 4)).status).toBe("canceled");
    const retried = await client().v4.jobs.retry(1, 2);
    expect(retried.id).toBeGreaterThan(5);
    expect(retried.status).toBe("pending");
    expect((await client().v4.jobs.play(1, 5)).status).toBe("pending");
    expect((await client().v4.jobs.keepArtifacts(1, 1)).id).toBe(1);
    await client().v4.jobs.deleteArtifacts(1, 1);
    expect(await failure(client().v4.jobs.artifacts(1, 1))).toMatchObject({ code: "not_found", status: 404 });
    expect((await client().v4.jobs.erase(1, 2)).id).toBe(2);
    expect(await client().v4.jobs.trace(1, 2)).toBe("");
  });

  it("surfaces GitLab's v4 error texts with stable codes", async () => {
    expect(await failure(client().v4.jobs.retry(1, 4))).toMatchObject({
      code: "forbidden",
      status: 403,
      message: "403 Forbidden - Job is not retryable",
    });
    expect(await failure(client().v4.jobs.list(1, { scope: "bogus" }).toArray())).toMatchObject({
      code: "bad_request",
      status: 400,
    });
    expect(await failure(client(OUTSIDER).v4.jobs.get(1, 1))).toMatchObject({
      code: "not_found",
      message: "404 Project Not Found",
    });
  });
});

describe("v4 instance, project and pipelines against the real server", () => {
  it("reads the current user, the version and a project by path", async () => {
    expect((await client().v4.user()).username).toBe("root");
    expect(typeof (await client().v4.version()).version).toBe("string");
    expect((await client().v4.projects.get("acme/app")).id).toBe(1);
  });

  it("lists pipelines by ref and gets one", async () => {
    const onFeature = await client().v4.pipelines.list(1, { ref: "feature" }).toArray();
    expect(onFeature.map((p) => p.id)).toEqual([2]);
    const pipeline = await client().v4.pipelines.get(1, 1);
    expect(pipeline).toMatchObject({ id: 1, ref: "master", sha: SHA1 });
  });
});

describe("watchTrace polling the real server's v4 trace", () => {
  it("yields a finished job's trace from an offset, then end", async () => {
    const events: TraceEvent[] = [];
    for await (const event of client().watchTrace(1, 1, { mode: "polling", fromOffset: 6 }))
      events.push(event);
    const full = await client().v4.jobs.traceBytes(1, 1);
    expect(events).toEqual([
      { type: "status", status: "success" },
      { type: "chunk", offset: 6, bytes: full.subarray(6) },
      { type: "end", status: "success", length: full.length },
    ]);
  });
});
