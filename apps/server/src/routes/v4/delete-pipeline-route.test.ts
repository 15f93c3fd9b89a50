import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { b64, connectRunner, connectWatcher } from "../../test-support/protocol-client.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

const OWNER = "tok-owner";
// JOBS_V4_SEED with an Owner of project 1.
const SEED = JOBS_V4_SEED.replace(
  "users:\n",
  `users:\n  - { id: 7, username: owner, tokens: [${OWNER}] }\n`,
).replace("    members:\n", "    members:\n      - { user: owner, role: owner }\n");

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: SEED });
});
afterEach(() => server.close());

const del = (
  pipelineId: number | string,
  token: string | null = OWNER,
  headers: Record<string, string> = {},
) => api(server, `/api/v4/projects/1/pipelines/${pipelineId}`, { method: "DELETE", token, headers });
const get = (pathAndQuery: string, token = V4_TOKENS.root) =>
  api(server, `/api/v4/projects/1${pathAndQuery}`, { token });

describe("DELETE /projects/:id/pipelines/:pipeline_id", () => {
  it("answers 204 to an Owner and removes the pipeline, its jobs, traces and artifact files", async () => {
    // Read first, so the read caches hold the pipeline and its jobs.
    expect(((await (await get("/jobs?per_page=100")).json()) as unknown[]).length).toBe(5);
    expect((await get("/pipelines")).headers.get("x-total")).toBe("2");
    expect(server.store.artifacts.bytesKept(1)).toBe(true);

    const res = await del(1);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");

    expect(server.store.pipelines.get(1)).toBeUndefined();
    for (const id of [1, 2, 3]) {
      expect(server.store.builds.get(id)).toBeUndefined();
      expect(server.store.traces.read(id).byteLength).toBe(0);
      expect(server.store.artifacts.get(id)).toBeUndefined();
    }
    expect(server.store.artifacts.bytesKept(1)).toBe(false);
    const gone = await get("/pipelines/1");
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ message: "404 Not found" });
    expect((await get("/jobs/1")).status).toBe(404);
    // The lists and their counts no longer show any of it.
    const jobs = await get("/jobs?per_page=100");
    expect(((await jobs.json()) as Array<{ id: number }>).map((j) => j.id)).toEqual([5, 4]);
    expect(jobs.headers.get("x-total")).toBe("2");
    const pipelines = await get("/pipelines");
    expect(((await pipelines.json()) as Array<{ id: number }>).map((p) => p.id)).toEqual([2]);
    expect((await get("/jobs?scope[]=success")).headers.get("x-total")).toBe("0");
    // Another project's pipeline is untouched.
    expect(server.store.builds.get(6)?.status).toBe("success");
  });

  it("refuses in GitLab's order and with its words, deleting nothing", async () => {
    expect((await del(1, null)).status).toBe(401);
    const invalid = await del("abc");
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({ error: "pipeline_id is invalid" });
    const outsider = await del(1, V4_TOKENS.outsider);
    expect(outsider.status).toBe(404);
    expect(await outsider.json()).toEqual({ message: "404 Project Not Found" });
    // The pipeline is found before the permission is checked: a missing one is 404 even for a Guest.
    for (const token of [OWNER, V4_TOKENS.guest]) {
      const missing = await del(999, token);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ message: "404 Not found" });
    }
    const otherProject = await del(3, V4_TOKENS.root);
    expect(otherProject.status).toBe(404);
    for (const token of [V4_TOKENS.master, V4_TOKENS.developer, V4_TOKENS.reporter, V4_TOKENS.runningJob]) {
      const refused = await api(server, "/api/v4/projects/1/pipelines/1", {
        method: "DELETE",
        headers: token === V4_TOKENS.runningJob ? { "JOB-TOKEN": token } : { "PRIVATE-TOKEN": token },
      });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ message: "403 Forbidden" });
    }
    expect(server.store.builds.listByPipeline(1).map((b) => b.id)).toEqual([1, 2, 3]);
    // Admins have owner_access everywhere.
    expect((await del(1, V4_TOKENS.root)).status).toBe(204);
  });

  it("answers 412 Precondition Failed when If-Unmodified-Since is older than the pipeline's last change", async () => {
    // lib/api/helpers.rb `check_unmodified_since!`, used by `destroy_conditionally!`.
    const updatedAt = Date.parse(server.store.pipelines.get(1)!.updatedAt);
    const early = await del(1, OWNER, { "If-Unmodified-Since": new Date(updatedAt - 60_000).toUTCString() });
    expect(early.status).toBe(412);
    expect(await early.json()).toEqual({ message: "412 Precondition Failed" });
    expect(server.store.pipelines.get(1)).toBeDefined();
    expect((await del(1, OWNER, { "If-Unmodified-Since": "not a date" })).status).toBe(204);
  });

  it("never hands out a deleted pipeline's ids or its iid again", async () => {
    // GitLab's ids come from sequences and iids from `internal_ids`: a deleted row's numbers stay used.
    const sha = "4".repeat(40);
    expect(
      (await api(server, "/api/v4/projects/3/pipelines/4", { method: "DELETE", token: V4_TOKENS.root }))
        .status,
    ).toBe(204);
    const res = await api(server, `/api/v4/projects/3/statuses/${sha}?state=running&name=ext&ref=master`, {
      method: "POST",
      token: V4_TOKENS.root,
    });
    expect(res.status).toBe(201);
    const status = (await res.json()) as { id: number; pipeline_id: number };
    expect(status).toMatchObject({ id: 8, pipeline_id: 5 });
    const pipeline = await api(server, "/api/v4/projects/3/pipelines/5", { token: V4_TOKENS.root });
    expect(await pipeline.json()).toMatchObject({ id: 5, iid: 2 });
  });

  it("rolls everything back when the deletion fails half-way: rows and artifact files stay", async () => {
    const real = server.store.pipelines.delete.bind(server.store.pipelines);
    vi.spyOn(server.store.pipelines, "delete").mockImplementation((id) => {
      real(id);
      throw new Error("disk full");
    });
    expect((await del(1)).status).toBe(500);
    vi.restoreAllMocks();
    expect(server.store.builds.listByPipeline(1).map((b) => b.id)).toEqual([1, 2, 3]);
    expect(server.store.artifacts.get(1)).toBeDefined();
    expect(server.store.artifacts.bytesKept(1)).toBe(true);
    expect(server.store.traces.read(1).toString()).toBe("built\n");
    expect((await get("/pipelines/1")).status).toBe(200);
  });

  it("stops the runner of a running job and closes its trace watchers with 4404; later frames are refused", async () => {
    const { client: runner, welcome } = await connectRunner(server, "runner-token-1");
    expect(welcome.resume.map((r) => r.buildId)).toEqual([4]);
    runner.send({ type: "trace", buildId: 4, offset: 0, data: b64("running\n") });
    await runner.nextOf("traceAck");
    const watcher = await connectWatcher(server, { project: 1, build: 4, token: V4_TOKENS.root });
    await watcher.nextOf("chunk", ["status"]);

    expect((await del(2)).status).toBe(204);
    expect(await runner.nextOf("cancel")).toEqual({ type: "cancel", buildId: 4, reason: "deleted" });
    expect(await watcher.closed).toBe(4404);
    // The server no longer holds the build: whatever the runner still sends of it is not taken.
    runner.send({ type: "trace", buildId: 4, offset: 8, data: b64("late\n") });
    expect((await runner.nextOf("error")).code).toBe("NOT_YOUR_BUILD");
    runner.send({ type: "finish", buildId: 4, state: "success", exitCode: 0, traceBytes: 13 });
    expect((await runner.nextOf("error")).code).toBe("NOT_YOUR_BUILD");
    expect(server.store.traces.read(4).byteLength).toBe(0);
    // Its job token is no credential any more.
    const byJobToken = await api(server, "/api/v4/projects/1/jobs", {
      headers: { "JOB-TOKEN": V4_TOKENS.runningJob },
    });
    expect(byJobToken.status).toBe(401);
    await runner.close();
  });
});
