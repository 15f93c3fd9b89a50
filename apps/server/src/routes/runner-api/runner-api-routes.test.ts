// The runner HTTP endpoints: registration, unregistration, verification, and job-token artifacts.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { connectRunner } from "../../test-support/protocol-client.js";
import { RUNNER_SEED, RUNNER_SEED_TOKENS as T } from "../../test-support/runner-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: RUNNER_SEED, maxArtifactsBytes: 1000 });
});
afterEach(() => server.close());

const post = (path: string, body: unknown) =>
  api(server, path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });

describe("POST /api/v4/runners", () => {
  it("registers a shared runner with the registration token", async () => {
    const res = await post("/api/v4/runners", {
      token: server.registrationToken,
      description: "laptop",
      tag_list: "docker, linux",
      run_untagged: false,
      info: { version: "1.2.3", platform: "linux" },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; token: string };
    expect(Object.keys(body).sort()).toEqual(["id", "token"]);
    expect(server.store.runners.getByToken(body.token)).toMatchObject({
      id: body.id,
      description: "laptop",
      isShared: true,
      tagList: ["docker", "linux"],
      runUntagged: false,
      version: "1.2.3",
      platform: "linux",
      projectIds: [],
    });
  });

  it("registers a specific runner with a project's runners token", async () => {
    const res = await post("/api/v4/runners", { token: "PROJECT-2-RUNNERS" });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };
    expect(server.store.runners.getByToken(token)).toMatchObject({ isShared: false, projectIds: [2] });
    const { welcome } = await connectRunner(server, token);
    expect(welcome.runnerId).toBe(server.store.runners.getByToken(token)!.id);
  });

  it("answers 403 for a bad registration token and 400 without one", async () => {
    const bad = await post("/api/v4/runners", { token: "nope" });
    expect(bad.status).toBe(403);
    expect(await bad.json()).toEqual({ message: "403 Forbidden" });
    const missing = await post("/api/v4/runners", {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: "token is missing" });
  });
});

describe("verify and unregister", () => {
  it("verifies a runner token (200) and refuses a bad one (403)", async () => {
    expect((await post("/api/v4/runners/verify", { token: T.shared })).status).toBe(200);
    expect((await post("/api/v4/runners/verify", { token: "nope" })).status).toBe(403);
  });

  it("deletes a runner (204), closing its socket, after which its token is refused", async () => {
    const { client } = await connectRunner(server, T.paused);
    const res = await api(server, `/api/v4/runners?token=${T.paused}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await client.closed).toBe(4401);
    expect((await post("/api/v4/runners/verify", { token: T.paused })).status).toBe(403);
    expect((await api(server, `/api/v4/runners?token=${T.paused}`, { method: "DELETE" })).status).toBe(403);
  });
});

describe("job artifacts", () => {
  async function runningJob() {
    const { client } = await connectRunner(server, T.docker);
    client.send({ type: "claim", requestId: "r" });
    const { job } = await client.nextOf("job");
    return { client, job };
  }
  const upload = (id: number, token: string, body: Buffer, query = "") =>
    api(server, `/api/v4/jobs/${id}/artifacts${query}`, {
      method: "POST",
      headers: { "JOB-TOKEN": token, "Content-Type": "application/zip" },
      body: new Uint8Array(body),
    });

  it("stores a running job's zip with its expiry and serves it to its token", async () => {
    const { job } = await runningJob();
    const zip = Buffer.from("PK\u0003\u0004 fake zip");
    const res = await upload(job.id, job.token, zip, "?expire_in=1%20week");
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      id: job.id,
      artifacts_file: { filename: "artifacts.zip", size: zip.byteLength },
      artifacts_expire_at: "2026-01-08T00:00:00.000Z",
    });
    const down = await api(server, `/api/v4/jobs/${job.id}/artifacts`, {
      headers: { "JOB-TOKEN": job.token },
    });
    expect(down.status).toBe(200);
    expect(Buffer.from(await down.arrayBuffer())).toEqual(zip);
    const v3 = await api(server, `/api/v3/projects/1/builds/${job.id}/artifacts`, { token: T.admin });
    expect(Buffer.from(await v3.arrayBuffer())).toEqual(zip);
  });

  it("answers GitLab's errors: 404 unknown job, 403 wrong token, 403 not running, 400 empty, 413 too big", async () => {
    const { job } = await runningJob();
    expect((await upload(999, job.token, Buffer.from("x"))).status).toBe(404);
    const wrong = await upload(job.id, "nope", Buffer.from("x"));
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toEqual({ message: "403 Forbidden" });
    const notRunning = await upload(2, server.store.builds.get(2)!.token, Buffer.from("x"));
    expect(notRunning.status).toBe(403);
    expect(await notRunning.json()).toEqual({ message: "403 Forbidden - Job is not running!" });
    const empty = await upload(job.id, job.token, Buffer.alloc(0));
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ message: '400 (Bad request) "Missing artifacts file!" not given' });
    const big = await upload(job.id, job.token, Buffer.alloc(1001));
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ message: "413 Request Entity Too Large" });
    const badExpiry = await upload(job.id, job.token, Buffer.from("x"), "?expire_in=soonish");
    expect(badExpiry.status).toBe(400);
    expect(server.store.artifacts.get(job.id)).toBeUndefined();
  });

  it("lets a running job of the same project download a dependency's archive, and nobody else", async () => {
    const { job } = await runningJob();
    await upload(job.id, job.token, Buffer.from("dep-bytes"));
    const shared = await connectRunner(server, T.shared);
    shared.client.send({ type: "claim", requestId: "s" });
    const dependent = (await shared.client.nextOf("job")).job;
    const ok = await api(server, `/api/v4/jobs/${job.id}/artifacts`, {
      headers: { "JOB-TOKEN": dependent.token },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("dep-bytes");
    const other = server.store.builds.get(4)!.token;
    expect((await api(server, `/api/v4/jobs/${job.id}/artifacts?token=${other}`)).status).toBe(403);
    expect(
      (await api(server, `/api/v4/jobs/2/artifacts`, { headers: { "JOB-TOKEN": dependent.token } })).status,
    ).toBe(404);
  });
});
