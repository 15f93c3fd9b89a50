// Job and pipeline actions on protected branches, as GitLab 17.0's policies decide them: `Ci::BuildPolicy`
// takes `update_build`, `cancel_build` and `erase_build` away when the user may not push or merge to the
// job's branch (`protected_ref`), and erase by a job's owner needs an unprotected ref; `Ci::PipelinePolicy`
// does the same for pipelines (app/policies/ci/build_policy.rb, app/policies/ci/pipeline_policy.rb;
// https://docs.gitlab.com/17.0/ee/user/permissions.html#gitlab-cicd-permissions).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

/** Protects `name` in project 1 (push and merge levels as GitLab's API takes them). */
const protect = async (name: string, push = 40, merge = 40) => {
  const res = await api(server, "/api/v4/projects/1/protected_branches", {
    method: "POST",
    token: V4_TOKENS.master,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name, push_access_level: push, merge_access_level: merge }),
  });
  expect(res.status).toBe(201);
};
const post = (path: string, token: string) =>
  api(server, `/api/v4/projects/1/${path}`, { method: "POST", token });

describe("jobs on a branch protected for Maintainers", () => {
  beforeEach(() => protect("master"));

  it("refuses a Developer retry, cancel and keep with 403 and changes nothing", async () => {
    const jobs = server.store.builds.listByPipeline(1).length;
    for (const path of ["jobs/2/retry", "jobs/1/cancel", "jobs/1/artifacts/keep"]) {
      const res = await post(path, V4_TOKENS.developer);
      expect(res.status, path).toBe(403);
      expect(await res.json()).toEqual({ message: "403 Forbidden" });
    }
    expect(server.store.builds.listByPipeline(1)).toHaveLength(jobs);
  });

  it("lets a Maintainer retry the same job", async () => {
    expect((await post("jobs/2/retry", V4_TOKENS.master)).status).toBe(201);
  });

  it("lets an admin who is not a member act, as protected-branch access is always true for admins", async () => {
    // spec/models/concerns/protected_ref_access_spec.rb: "#check_access is always true for admins".
    expect((await post("jobs/2/retry", V4_TOKENS.root)).status).toBe(201);
  });

  it("refuses a Developer pipeline retry and cancel with 403", async () => {
    expect((await post("pipelines/1/retry", V4_TOKENS.developer)).status).toBe(403);
    expect((await post("pipelines/1/cancel", V4_TOKENS.developer)).status).toBe(403);
    expect(server.store.builds.get(2)?.retried).toBe(false);
  });

  it("gives the Developer the job back once the branch is unprotected", async () => {
    const del = await api(server, "/api/v4/projects/1/protected_branches/master", {
      method: "DELETE",
      token: V4_TOKENS.master,
    });
    expect(del.status).toBe(204);
    expect((await post("jobs/2/retry", V4_TOKENS.developer)).status).toBe(201);
  });
});

describe("a wildcard rule", () => {
  it("covers branches by pattern: play of a manual job on `feature` is 403 under `feat*`", async () => {
    await protect("feat*");
    const res = await post("jobs/5/play", V4_TOKENS.developer);
    expect(res.status).toBe(403);
    expect(server.store.builds.get(5)?.status).toBe("manual");
  });

  it("lets Developers act when the rule allows them to push, but not erase their own job there", async () => {
    await protect("feat*", 30, 40);
    expect((await post("jobs/4/cancel", V4_TOKENS.developer)).status).toBe(201);
    // erase_build for a non-Maintainer needs `unprotected_ref`, even on their own job.
    const erase = await post("jobs/4/erase", V4_TOKENS.developer);
    expect(erase.status).toBe(403);
    expect(server.store.builds.get(4)?.erasedAt).toBeNull();
  });
});
