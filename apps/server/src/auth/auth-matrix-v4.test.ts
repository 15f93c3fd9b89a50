// The v4 endpoints added for issue #13, each against every kind of caller on a real server: no token
// (401, or 404 for an anonymous read of a private project), a user who cannot see the project (404
// `Project Not Found`), the role just below the one GitLab 17.0 asks for (403 `403 Forbidden`), and that
// role (success). Roles per https://docs.gitlab.com/17.0/ee/user/permissions.html and each endpoint's
// `authorize!` in lib/api.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

type Role = "guest" | "reporter" | "developer" | "master";
const LADDER: Role[] = ["guest", "reporter", "developer", "master"];

interface Endpoint {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** The path under /api/v4 for project `p` (1: private, with every role as a member; 2: private, none). */
  path: (p: number) => string;
  /** JSON body, for writes. */
  body?: Record<string, unknown>;
  /** The least role that succeeds. */
  role: Role;
  okStatus: number;
  /** What a caller without any token gets on the private project: 401, or 404 where reads allow anonymous. */
  anonymous: 401 | 404;
  /** Records the endpoint needs in project 1, added through the store before the calls. */
  setup?: (server: RunningServer) => void;
  /** The 403 message for the role below, where GitLab gives a reason. @default "403 Forbidden" */
  forbidden?: string;
}

const protectRelease = (s: RunningServer) =>
  s.store.protectedBranches.insert({
    projectId: 1,
    name: "release/*",
    pushAccessLevel: 40,
    mergeAccessLevel: 40,
    allowForcePush: false,
  });

/** Trigger 1 of project 1, owned by the Maintainer (`master`, user 2). */
const addTrigger = (s: RunningServer) =>
  s.store.pipelineTriggers.insert({
    projectId: 1,
    token: "glptt-matrix",
    description: "matrix",
    ownerId: 2,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  });

const ENDPOINTS: Record<string, Endpoint> = {
  // lib/api/ci/runners.rb: `authorize! :read_project_runners` (Maintainer).
  "list project runners": {
    method: "GET",
    path: (p) => `/projects/${p}/runners`,
    role: "master",
    okStatus: 200,
    anonymous: 401,
  },
  // lib/api/commit_statuses.rb: `read_commit_status` (Reporter), `create_commit_status` (Developer).
  "list commit statuses": {
    method: "GET",
    path: (p) => `/projects/${p}/repository/commits/${"1".repeat(40)}/statuses`,
    role: "reporter",
    okStatus: 200,
    anonymous: 401,
  },
  "post a commit status": {
    method: "POST",
    path: (p) => `/projects/${p}/statuses/${"1".repeat(40)}`,
    body: { state: "pending", name: "external" },
    role: "developer",
    okStatus: 201,
    anonymous: 401,
  },
  // lib/api/ci/triggers.rb: `authorize! :admin_build` / `:manage_trigger` (Maintainer); update asks
  // `admin_trigger` in Ci::PipelineTriggers::UpdateService, whose 403 gives its reason.
  "list trigger tokens": {
    method: "GET",
    path: (p) => `/projects/${p}/triggers`,
    role: "master",
    okStatus: 200,
    anonymous: 401,
  },
  "create a trigger token": {
    method: "POST",
    path: (p) => `/projects/${p}/triggers`,
    body: { description: "deploy" },
    role: "master",
    okStatus: 201,
    anonymous: 401,
  },
  "get a trigger token": {
    method: "GET",
    path: (p) => `/projects/${p}/triggers/1`,
    role: "master",
    okStatus: 200,
    anonymous: 401,
    setup: addTrigger,
  },
  "update a trigger token": {
    method: "PUT",
    path: (p) => `/projects/${p}/triggers/1`,
    body: { description: "renamed" },
    role: "master",
    okStatus: 200,
    anonymous: 401,
    setup: addTrigger,
    forbidden: "403 Forbidden - The current user is not authorized to update the pipeline trigger token",
  },
  "delete a trigger token": {
    method: "DELETE",
    path: (p) => `/projects/${p}/triggers/1`,
    role: "master",
    okStatus: 204,
    anonymous: 401,
    setup: addTrigger,
  },
  "list protected branches": {
    method: "GET",
    path: (p) => `/projects/${p}/protected_branches`,
    role: "reporter",
    okStatus: 200,
    anonymous: 404,
  },
  "protect a branch": {
    method: "POST",
    path: (p) => `/projects/${p}/protected_branches`,
    body: { name: "release/*" },
    role: "master",
    okStatus: 201,
    anonymous: 401,
  },
  "latest pipeline": {
    method: "GET",
    path: (p) => `/projects/${p}/pipelines/latest`,
    role: "reporter",
    okStatus: 200,
    anonymous: 404,
  },
  "pipeline variables (of a pipeline someone else started)": {
    method: "GET",
    path: (p) => `/projects/${p}/pipelines/1/variables`,
    role: "master",
    okStatus: 200,
    anonymous: 404,
  },
  "get a protected branch": {
    method: "GET",
    path: (p) => `/projects/${p}/protected_branches/release%2F*`,
    role: "reporter",
    okStatus: 200,
    anonymous: 404,
    setup: protectRelease,
  },
  "unprotect a branch": {
    method: "DELETE",
    path: (p) => `/projects/${p}/protected_branches/release%2F*`,
    role: "master",
    okStatus: 204,
    anonymous: 401,
    setup: protectRelease,
  },
};

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

const call = (e: Endpoint, project: number, token: string | null) =>
  api(server, `/api/v4${e.path(project)}`, {
    method: e.method,
    token,
    ...(e.body ? { headers: { "content-type": "application/json" }, body: JSON.stringify(e.body) } : {}),
  });

describe("v4 permissions of the #13 endpoints", () => {
  it.each(Object.entries(ENDPOINTS))("%s", async (_name, e) => {
    e.setup?.(server);
    const anonymous = await call(e, 1, null);
    expect(anonymous.status).toBe(e.anonymous);
    expect(await anonymous.json()).toEqual({
      message: e.anonymous === 401 ? "401 Unauthorized" : "404 Project Not Found",
    });
    const hidden = await call(e, 2, V4_TOKENS.developer);
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toEqual({ message: "404 Project Not Found" });
    const below = LADDER[LADDER.indexOf(e.role) - 1];
    if (below) {
      const refused = await call(e, 1, V4_TOKENS[below]);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toEqual({ message: e.forbidden ?? "403 Forbidden" });
    }
    expect((await call(e, 1, V4_TOKENS[e.role])).status).toBe(e.okStatus);
  });
});
