// GET /projects/:id/pipelines/latest and …/pipelines/:pipeline_id/variables against a real server, as
// GitLab 17.0's lib/api/ci/pipelines.rb answers them (https://docs.gitlab.com/17.0/ee/api/pipelines.html
// "Get the latest pipeline", "Get variables of a pipeline").

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

const get = async (path: string, token: string | null = V4_TOKENS.reporter) => {
  const res = await api(server, `/api/v4/projects/1/pipelines${path}`, { token });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("GET /projects/:id/pipelines/latest", () => {
  it("answers the default branch's newest pipeline without a ref, and the ref's with one", async () => {
    expect(await get("/latest")).toMatchObject({ status: 200, body: { id: 1, ref: "master" } });
    expect(await get("/latest?ref=feature")).toMatchObject({ status: 200, body: { id: 2, ref: "feature" } });
  });

  it("answers 403 for a ref without pipelines, as `authorize!` meets a nil pipeline", async () => {
    expect(await get("/latest?ref=nope")).toEqual({ status: 403, body: { message: "403 Forbidden" } });
  });

  it("refuses a Guest of a project with private jobs with 403", async () => {
    expect((await get("/latest", V4_TOKENS.guest)).status).toBe(403);
  });
});

describe("GET /projects/:id/pipelines/:pipeline_id/variables", () => {
  beforeEach(() =>
    server.store.transaction(() =>
      server.store.pipelineVariables.insertAll(2, [
        { key: "RUN_NIGHTLY_BUILD", value: "true", variableType: "env_var" },
        { key: "CONFIG", value: "a: 1", variableType: "file" },
      ]),
    ),
  );

  it("lists the variables a pipeline was created with, in the docs' shape", async () => {
    const res = await api(server, "/api/v4/projects/1/pipelines/2/variables", { token: V4_TOKENS.master });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([
      { key: "RUN_NIGHTLY_BUILD", variable_type: "env_var", value: "true" },
      { key: "CONFIG", variable_type: "file", value: "a: 1" },
    ]);
  });

  it("lets a Developer read the variables of a pipeline they started, and no other", async () => {
    // `read_pipeline_variable`: `admin_pipeline`, or `update_pipeline` and being its triggerer.
    const own = await api(server, "/api/v4/projects/1/pipelines/2/variables", { token: V4_TOKENS.developer });
    expect(own.status).toBe(200);
    const other = await api(server, "/api/v4/projects/1/pipelines/1/variables", {
      token: V4_TOKENS.developer,
    });
    expect(other.status).toBe(403);
    expect(await other.json()).toEqual({ message: "403 Forbidden" });
  });

  it("answers 404 for another project's pipeline and 400 for a non-integer id", async () => {
    const missing = await api(server, "/api/v4/projects/1/pipelines/3/variables", {
      token: V4_TOKENS.master,
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "404 Not found" });
    const bad = await api(server, "/api/v4/projects/1/pipelines/x/variables", { token: V4_TOKENS.master });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "pipeline_id is invalid" });
  });
});
