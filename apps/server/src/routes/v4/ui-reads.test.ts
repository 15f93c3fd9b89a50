// The reads the web UI adds to the API: projects (list, and one with the caller's `permissions`), runners
// (`/runners`, `/runners/all`, a runner's jobs), anonymous reads of public pipelines, and buildsim's needs
// graph and job variables. GitLab: https://docs.gitlab.com/ee/api/projects.html#list-all-projects,
// https://docs.gitlab.com/ee/api/runners.html, https://docs.gitlab.com/ee/api/pipelines.html
// (`authenticate_non_get!`: anonymous GETs of public projects).

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

const SEED = `
users:
  - { id: 1, username: root, admin: true, tokens: [tok-admin] }
  - { id: 2, username: rep, tokens: [tok-rep] }
  - { id: 3, username: dev, tokens: [tok-dev] }
  - { id: 4, username: boss, tokens: [tok-boss] }
projects:
  - { id: 1, path: acme/private, members: [{ user: 2, role: reporter }, { user: 3, role: developer }, { user: 4, role: master }] }
  - { id: 2, path: acme/public, visibility: public, public_builds: true }
  - { id: 3, path: acme/hidden }
runners:
  - { id: 1, token: r-shared, description: shared }
  - { id: 2, token: r-private, description: private one, shared: false, projects: [1] }
commits:
  - { project: 1, sha: "${"a".repeat(40)}", message: "Add feature" }
  - { project: 2, sha: "${"b".repeat(40)}", message: "Public change" }
pipelines:
  - { id: 1, project: 1, sha: "${"a".repeat(40)}", ref: main }
  - { id: 2, project: 2, sha: "${"b".repeat(40)}", ref: main }
builds:
  - { id: 1, pipeline: 1, name: build, status: running, runner: 2, variables: { GREETING: hello } }
  - { id: 2, pipeline: 1, name: test, stage: test, stage_idx: 1, status: created }
  - { id: 3, pipeline: 2, name: public-build, status: success }
`;

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ seedText: SEED });
  const test = server.store.builds.get(2)!;
  server.store.transaction(() => server.store.builds.save({ ...test, needs: ["build"] }));
});
afterAll(() => server.close());

const json = async (path: string, token?: string) => {
  const res = await api(server, path, { token: token ?? null });
  return { status: res.status, body: await res.json() };
};

describe("GET /projects", () => {
  it("lists what each caller can see, newest first; anonymous callers see public projects", async () => {
    const paths = async (token?: string) =>
      ((await json("/api/v4/projects", token)).body as { path_with_namespace: string }[]).map(
        (p) => p.path_with_namespace,
      );
    expect(await paths("tok-admin")).toEqual(["acme/hidden", "acme/public", "acme/private"]);
    expect(await paths("tok-rep")).toEqual(["acme/public", "acme/private"]);
    expect(await paths()).toEqual(["acme/public"]);
  });

  it("gives a signed-in caller their permissions on one project, as GitLab's ProjectWithAccess", async () => {
    expect((await json("/api/v4/projects/1", "tok-rep")).body.permissions).toEqual({
      project_access: { access_level: 20, notification_level: 3 },
      group_access: null,
    });
    expect((await json("/api/v4/projects/1", "tok-admin")).body.permissions).toEqual({
      project_access: null,
      group_access: null,
    });
    expect((await json("/api/v4/projects/2")).body).not.toHaveProperty("permissions");
  });
});

describe("anonymous pipeline reads", () => {
  it("lets anyone read a public project's pipelines and their jobs, and no private one's", async () => {
    expect((await json("/api/v4/projects/2/pipelines")).body).toHaveLength(1);
    expect((await json("/api/v4/projects/2/pipelines/2")).body.id).toBe(2);
    expect((await json("/api/v4/projects/2/pipelines/2/jobs")).body[0].name).toBe("public-build");
    expect(await json("/api/v4/projects/1/pipelines")).toEqual({
      status: 404,
      body: { message: "404 Project Not Found" },
    });
  });
});

describe("runners", () => {
  it("lists every runner for an admin at /runners/all and refuses others with 403", async () => {
    const all = await json("/api/v4/runners/all", "tok-admin");
    expect(all.body.map((r: { id: number }) => r.id)).toEqual([1, 2]);
    expect(all.body[0]).toMatchObject({ description: "shared", is_shared: true, status: "never_contacted" });
    expect(await json("/api/v4/runners/all", "tok-dev")).toEqual({
      status: 403,
      body: { message: "403 Forbidden" },
    });
  });

  it("lists at /runners the runners of projects the caller maintains", async () => {
    expect((await json("/api/v4/runners", "tok-boss")).body.map((r: { id: number }) => r.id)).toEqual([2]);
    expect((await json("/api/v4/runners", "tok-dev")).body).toEqual([]);
    expect((await json("/api/v4/runners")).status).toBe(401);
  });

  it("lists a runner's running jobs, with GitLab's errors for unknown runners and bad statuses", async () => {
    const jobs = await json("/api/v4/runners/2/jobs", "tok-admin");
    expect(jobs.body.map((j: { id: number }) => j.id)).toEqual([1]);
    expect((await json("/api/v4/runners/2/jobs?status=success", "tok-boss")).body).toEqual([]);
    // lib/api/ci/runners.rb (17.0): `get_runner` is `Ci::Runner.find(id)`, whose RecordNotFound the API
    // rescues as `404 Not found` (its `not_found!('Runner')` is never reached); a caller without
    // `read_builds` on the runner gets `forbidden!("No access granted")`.
    expect(await json("/api/v4/runners/9/jobs", "tok-admin")).toEqual({
      status: 404,
      body: { message: "404 Not found" },
    });
    expect(await json("/api/v4/runners/9/jobs", "tok-dev")).toEqual({
      status: 404,
      body: { message: "404 Not found" },
    });
    expect((await json("/api/v4/runners/2/jobs?status=bogus", "tok-admin")).status).toBe(400);
    expect(await json("/api/v4/runners/2/jobs", "tok-dev")).toEqual({
      status: 403,
      body: { message: "403 Forbidden - No access granted" },
    });
  });
});

describe("buildsim's reads", () => {
  it("gives the pipeline's needs graph to whoever reads its jobs", async () => {
    expect((await json("/-/buildsim/api/projects/1/pipelines/1/needs", "tok-rep")).body).toEqual([
      { id: 1, name: "build", stage: "test", needs: null },
      { id: 2, name: "test", stage: "test", needs: ["build"] },
    ]);
    expect((await json("/-/buildsim/api/projects/1/pipelines/1/needs")).status).toBe(404);
    expect((await json("/-/buildsim/api/projects/1/pipelines/2/needs", "tok-rep")).status).toBe(404);
  });

  // GitLab's GraphQL `Pipeline.jobs` carries these fields (stage, scheduledAt, retried, downstreamPipeline):
  // https://docs.gitlab.com/ee/api/graphql/reference/#cijob
  it("gives the pipeline's status and every job with its stage place and when, to whoever reads its jobs", async () => {
    const { status, body } = await json("/-/buildsim/api/projects/1/pipelines/1/jobs", "tok-rep");
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 1, project_id: 1, status: "running" });
    expect(body.jobs).toMatchObject([
      { id: 1, name: "build", stage: "test", stage_idx: 0, status: "running", when: "on_success" },
      { id: 2, name: "test", stage: "test", stage_idx: 1, status: "created", retried: false, trigger: false },
    ]);
    expect(body.jobs[1]).toMatchObject({ scheduled_at: null, trace_size: 0, downstream_pipeline: null });
    expect((await json("/-/buildsim/api/projects/1/pipelines/1/jobs")).status).toBe(404);
    expect((await json("/-/buildsim/api/projects/1/pipelines/2/jobs", "tok-rep")).status).toBe(404);
  });

  it("shows Developers the variables a job saw, masked ones without their value", async () => {
    const vars = (await json("/-/buildsim/api/projects/1/jobs/1/variables", "tok-dev")).body as {
      key: string;
      value: string | null;
      masked: boolean;
    }[];
    expect(vars.find((v) => v.key === "GREETING")).toEqual({
      key: "GREETING",
      value: "hello",
      masked: false,
    });
    expect(vars.find((v) => v.key === "CI_JOB_TOKEN")).toEqual({
      key: "CI_JOB_TOKEN",
      value: null,
      masked: true,
    });
    expect((await json("/-/buildsim/api/projects/1/jobs/1/variables", "tok-rep")).status).toBe(403);
  });
});
