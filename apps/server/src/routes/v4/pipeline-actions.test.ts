// POST /projects/:id/pipelines/:pipeline_id/cancel and …/retry as GitLab 17.0 answers them
// (lib/api/ci/pipelines.rb; https://docs.gitlab.com/17.0/ee/api/pipelines.html#cancel-a-pipelines-jobs):
// cancel is 200 and leaves manual jobs alone (`cancel_running`), retry is 201 and retries the latest
// failed and canceled jobs (`retry_failed`); both answer with the Pipeline entity; Developer and above.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

const post = (path: string, token: string = V4_TOKENS.developer) =>
  api(server, `/api/v4/projects/1/pipelines/${path}`, { method: "POST", token });

describe("POST /projects/:id/pipelines/:pipeline_id/cancel", () => {
  it("cancels the running job, leaves the manual one, and answers 200 with the pipeline", async () => {
    const res = await post("2/cancel");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { id: number; status: string; ref: string };
    expect(body).toMatchObject({ id: 2, ref: "feature" });
    expect(server.store.builds.get(4)?.status).toBe("canceled");
    expect(server.store.builds.get(5)?.status).toBe("manual");
    expect(body.status).toBe(server.store.pipelines.get(2)?.status);
  });

  it("answers 403 to a Reporter and 404 Not found for another project's pipeline", async () => {
    expect((await post("2/cancel", V4_TOKENS.reporter)).status).toBe(403);
    const other = await post("3/cancel", V4_TOKENS.root);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ message: "404 Not found" });
    expect(server.store.builds.get(4)?.status).toBe("running");
  });
});

describe("POST /projects/:id/pipelines/:pipeline_id/retry", () => {
  it("retries the failed job for the caller and answers 201 with the pipeline", async () => {
    const before = server.store.builds.listByPipeline(1).length;
    const res = await post("1/retry");
    expect(res.status).toBe(201);
    expect(((await res.json()) as { id: number }).id).toBe(1);
    const builds = server.store.builds.listByPipeline(1);
    expect(builds).toHaveLength(before + 1);
    const fresh = builds.at(-1)!;
    expect(fresh).toMatchObject({ name: "test", userId: 3, retried: false });
    expect(server.store.builds.get(2)?.retried).toBe(true);
  });

  it("answers 400 for a pipeline id that is not an integer", async () => {
    const res = await post("x/retry");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "pipeline_id is invalid" });
  });
});
