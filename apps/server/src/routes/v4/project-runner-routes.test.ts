import { CLOSE_CODES } from "@buildsim/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { connectRunner } from "../../test-support/protocol-client.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

// Project 1 with a Maintainer and a Developer; runners: 1 shared, 2 of project 1 (tags linux, docker),
// 3 of projects 1 and 2, 4 of project 2 only.
const SEED = `
users:
  - { id: 1, username: root, admin: true, tokens: [tok-root] }
  - { id: 2, username: boss, tokens: [tok-boss] }
  - { id: 3, username: dev, tokens: [tok-dev] }
projects:
  - { id: 1, path: acme/app, members: [{ user: boss, role: master }, { user: dev, role: developer }] }
  - { id: 2, path: acme/other }
runners:
  - { id: 1, token: runner-shared, description: shared }
  - { id: 2, token: runner-mine, description: mine, shared: false, projects: [1], tags: [linux, docker] }
  - { id: 3, token: runner-both, description: both, shared: false, projects: [1, 2] }
  - { id: 4, token: runner-other, description: other, shared: false, projects: [2] }
`;

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: SEED });
});
afterEach(() => server.close());

const get = async (path: string, token: string) => {
  const res = await api(server, `/api/v4${path}`, { token });
  return { status: res.status, body: await res.json() };
};
const del = async (path: string, token?: string) => {
  const res = await api(server, `/api/v4${path}`, { method: "DELETE", token: token ?? null });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
};
const ids = (body: unknown) => (body as Array<{ id: number }>).map((r) => r.id);

describe("GET /projects/:id/runners", () => {
  it("lists the project's own runners and the shared ones, with GitLab's filters", async () => {
    // lib/api/ci/runners.rb: `Ci::Runner.owned_or_instance_wide(project)`, then scope/type/status/tag_list.
    expect(ids((await get("/projects/1/runners", "tok-boss")).body)).toEqual([1, 2, 3]);
    expect(ids((await get("/projects/1/runners?type=project_type", "tok-boss")).body)).toEqual([2, 3]);
    expect(ids((await get("/projects/1/runners?scope=shared", "tok-boss")).body)).toEqual([1]);
    expect(ids((await get("/projects/1/runners?tag_list=docker,linux", "tok-boss")).body)).toEqual([2]);
    const page = await api(server, "/api/v4/projects/1/runners?per_page=2", { token: "tok-boss" });
    expect(page.headers.get("x-total")).toBe("3");
    expect(await get("/projects/1/runners?type=nope", "tok-boss")).toEqual({
      status: 400,
      body: { error: "type does not have a valid value" },
    });
  });

  it("is for Maintainers (read_project_runners): a Developer gets 403", async () => {
    expect(await get("/projects/1/runners", "tok-dev")).toEqual({
      status: 403,
      body: { message: "403 Forbidden" },
    });
  });
});

describe("DELETE /runners/:id", () => {
  it("lets the Maintainer of the runner's only project delete it, closing its socket with 4401", async () => {
    // https://docs.gitlab.com/17.0/ee/api/runners.html#delete-a-runner-by-id
    const { client } = await connectRunner(server, "runner-mine");
    expect(await del("/runners/2", "tok-boss")).toEqual({ status: 204, body: null });
    expect(await client.closed).toBe(CLOSE_CODES.UNAUTHORIZED);
    expect(server.store.runners.get(2)).toBeUndefined();
  });

  it("answers with authenticate_delete_runner!'s reasons, and 404 Not found for no such runner", async () => {
    expect(await del("/runners/3", "tok-boss")).toEqual({
      status: 403,
      body: { message: "403 Forbidden - Runner associated with more than one project" },
    });
    for (const [id, token] of [
      [1, "tok-boss"],
      [4, "tok-boss"],
      [2, "tok-dev"],
    ] as const)
      expect(await del(`/runners/${id}`, token)).toEqual({
        status: 403,
        body: { message: "403 Forbidden - No access granted" },
      });
    // `Ci::Runner.find` raises ActiveRecord::RecordNotFound: "404 Not found".
    expect(await del("/runners/99", "tok-root")).toEqual({ status: 404, body: { message: "404 Not found" } });
    expect((await del("/runners/3")).status).toBe(401);
    // Admins may delete any runner, shared or of several projects.
    expect((await del("/runners/3", "tok-root")).status).toBe(204);
    expect((await del("/runners/1", "tok-root")).status).toBe(204);
  });
});
