import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { ADMIN_TOKEN, PIPELINE_SEED } from "../test-support/pipeline-seed.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: PIPELINE_SEED });
});
afterEach(() => server.close());

type Entity = { id: number; status: string; user: { username: string } | null; finished_at: string | null };
const post = async (p: string) => {
  const res = await api(server, `/api/v3/projects/1/builds/${p}`, { method: "POST", token: ADMIN_TOKEN });
  return { status: res.status, body: (await res.json()) as Entity & { message?: string } };
};

describe("cancel", () => {
  it("cancels a running build, tells its runner, and recomputes the pipeline", async () => {
    const told: Array<{ buildId: number; runnerId: number | null }> = [];
    server.events.on("runnerMustCancel", (e) => told.push(e));
    const { status, body } = await post("3/cancel");
    expect(status).toBe(201);
    expect(body.status).toBe("canceled");
    expect(body.finished_at).toBe(server.app.now());
    expect(told).toEqual([{ buildId: 3, runnerId: 1 }]);
    // The manual build of the next stage will not run after a canceled stage: processing skips it.
    expect(server.store.builds.get(4)?.status).toBe("skipped");
    expect(server.store.pipelines.get(2)?.status).toBe("canceled");
  });

  it("answers 201 with the unchanged build when it has already finished", async () => {
    const { status, body } = await post("1/cancel");
    expect(status).toBe(201);
    expect(body.status).toBe("failed");
    expect(body.finished_at).toBe("2026-01-01T00:00:05.000Z");
  });
});

describe("retry", () => {
  it("creates a new pending build and re-opens the later skipped build", async () => {
    const { status, body } = await post("1/retry");
    expect(status).toBe(201);
    expect(body.id).toBe(9);
    expect(body.status).toBe("pending");
    expect(body.user?.username).toBe("root");
    expect(server.store.builds.get(1)?.status).toBe("failed");
    expect(server.store.builds.get(1)?.retried).toBe(true);
    expect(server.store.builds.get(2)?.status).toBe("created");
    expect(server.store.pipelines.get(1)?.status).toBe("pending");
  });

  it("refuses a build that is still running with 403 not retryable", async () => {
    const { status, body } = await post("3/retry");
    expect(status).toBe(403);
    expect(body).toEqual({ message: "403 Forbidden - Build is not retryable" });
  });
});

describe("erase", () => {
  it("removes the artifacts file and the trace and records the eraser", async () => {
    expect(server.store.artifacts.bytesKept(5)).toBe(true);
    const { status } = await post("5/erase");
    expect(status).toBe(201);
    expect(server.store.artifacts.bytesKept(5)).toBe(false);
    const build = server.store.builds.get(5)!;
    expect(build.trace.bytes).toBe(0);
    expect(build.artifactsFile).toBeNull();
    expect(build.erasedById).toBe(1);
    expect(build.erasedAt).toBe(server.app.now());
  });

  it("refuses a running build with 403 not erasable!", async () => {
    const { status, body } = await post("3/erase");
    expect(status).toBe(403);
    expect(body).toEqual({ message: "403 Forbidden - Build is not erasable!" });
  });

  it("refuses a finished build with nothing to erase", async () => {
    await post("5/erase");
    const { status } = await post("5/erase");
    expect(status).toBe(403);
  });
});

describe("keep artifacts", () => {
  it("clears the expiry and answers 200", async () => {
    const { status } = await post("5/artifacts/keep");
    expect(status).toBe(200);
    expect(server.store.builds.get(5)?.artifactsExpireAt).toBeNull();
  });

  it("answers 404 for expired artifacts", async () => {
    const { status, body } = await post("6/artifacts/keep");
    expect(status).toBe(404);
    expect(body).toEqual({ message: "404 Not Found" });
  });

  it("answers 404 for a build without artifacts", async () => {
    expect((await post("1/artifacts/keep")).status).toBe(404);
  });
});

describe("play", () => {
  it("enqueues a manual build with the caller as its user", async () => {
    const { status, body } = await post("8/play");
    expect(status).toBe(200);
    expect(body.status).toBe("pending");
    expect(body.user?.username).toBe("root");
  });

  it("enqueues a manual build parked in skipped (8.x)", async () => {
    const { status, body } = await post("7/play");
    expect(status).toBe(200);
    expect(body.status).toBe("pending");
    expect(body.user?.username).toBe("root");
  });

  it("refuses a build that is not manual with 400 Unplayable Job", async () => {
    const { status, body } = await post("1/play");
    expect(status).toBe(400);
    expect(body).toEqual({ message: '400 (Bad request) "Unplayable Job" not given' });
  });
});

describe("artifacts download", () => {
  it("still serves artifacts that expired but were not deleted (GitLab checks only the file)", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/6/artifacts", { token: ADMIN_TOKEN });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("old-bytes");
  });

  it("answers HEAD with the headers only", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/5/artifacts", {
      token: ADMIN_TOKEN,
      method: "HEAD",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe("8");
    expect(await res.text()).toBe("");
  });
});

describe("artifacts download for a ref", () => {
  it("serves the latest successful pipeline's artifacts of the job", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/artifacts/master/download?job=package", {
      token: ADMIN_TOKEN,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe("attachment; filename=pkg.zip");
    expect(await res.text()).toBe("PK-bytes");
  });

  it("answers 404 Not found (lower case) for a job without artifacts there", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/artifacts/master/download?job=nope", {
      token: ADMIN_TOKEN,
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 Not found" });
  });

  it("answers 400 job is missing without ?job", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/artifacts/master/download", {
      token: ADMIN_TOKEN,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "job is missing" });
  });

  it("accepts a ref name with slashes", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/artifacts/feature/x/download?job=old", {
      token: ADMIN_TOKEN,
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 Not found" });
  });
});

describe("events", () => {
  it("announces every changed build after the change is committed", async () => {
    const seen: Array<[number, string]> = [];
    server.events.on("buildChanged", (b) => {
      // Committed: the store already shows the new status when listeners run.
      expect(server.store.builds.get(b.id)?.status).toBe(b.status);
      seen.push([b.id, b.status]);
    });
    await post("1/retry");
    expect(seen).toContainEqual([9, "pending"]);
    expect(seen).toContainEqual([2, "created"]);
  });
});
