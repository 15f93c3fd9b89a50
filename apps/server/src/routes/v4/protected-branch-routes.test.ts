// The protected branches API against a real server: GitLab 17.0's entity, statuses and error bodies
// (https://docs.gitlab.com/17.0/ee/api/protected_branches.html, lib/api/protected_branches.rb).

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

const base = "/api/v4/projects/1/protected_branches";
const protect = (body: Record<string, unknown>, token: string = V4_TOKENS.master) =>
  api(server, base, {
    method: "POST",
    token,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("GET /projects/:id/protected_branches", () => {
  it("lists the default branch, protected for Maintainers as GitLab protects a new project's", async () => {
    // Project 3 declares no `protected_branches`, so its default branch is protected.
    const res = await api(server, "/api/v4/projects/3/protected_branches", { token: V4_TOKENS.developer });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-total")).toBe("1");
    // The docs' example entity: one role in each list, `access_level_description` humanized.
    expect(await res.json()).toEqual([
      {
        // Project 2's default branch rule came first.
        id: 2,
        name: "master",
        push_access_levels: [
          { id: 2, access_level: 40, access_level_description: "Maintainers", deploy_key_id: null },
        ],
        merge_access_levels: [{ id: 2, access_level: 40, access_level_description: "Maintainers" }],
        allow_force_push: false,
        code_owner_approval_required: false,
      },
    ]);
  });

  it("filters by a case-insensitive part of the name with search", async () => {
    await protect({ name: "release/*" });
    const res = await api(server, `${base}?search=RELEASE`, { token: V4_TOKENS.master });
    expect(((await res.json()) as Array<{ name: string }>).map((r) => r.name)).toEqual(["release/*"]);
  });

  it("refuses a Guest of a private project with 403, as `read_code` needs Reporter there", async () => {
    const res = await api(server, base, { token: V4_TOKENS.guest });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: "403 Forbidden" });
  });

  it("answers anonymous callers of a public project, and 404 for a private one", async () => {
    expect((await api(server, "/api/v4/projects/3/protected_branches")).status).toBe(200);
    const res = await api(server, base);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 Project Not Found" });
  });
});

describe("GET /projects/:id/protected_branches/:name", () => {
  it("finds a wildcard rule by its URL-encoded pattern, not by a branch it covers", async () => {
    await protect({ name: "release/*", push_access_level: 30, merge_access_level: 0 });
    const res = await api(server, `${base}/${encodeURIComponent("release/*")}`, {
      token: V4_TOKENS.reporter,
    });
    expect(res.status).toBe(200);
    const rule = (await res.json()) as Record<string, Array<Record<string, unknown>>>;
    expect(rule.push_access_levels?.[0]?.access_level_description).toBe("Developers + Maintainers");
    expect(rule.merge_access_levels?.[0]?.access_level_description).toBe("No one");
    const covered = await api(server, `${base}/${encodeURIComponent("release/1.0")}`, {
      token: V4_TOKENS.reporter,
    });
    expect(covered.status).toBe(404);
    expect(await covered.json()).toEqual({ message: "404 Not found" });
  });
});

describe("POST /projects/:id/protected_branches", () => {
  it("protects a branch with 201 and Maintainer defaults", async () => {
    const res = await protect({ name: "stable" });
    expect(res.status).toBe(201);
    const rule = (await res.json()) as Record<string, unknown>;
    expect(rule.name).toBe("stable");
    expect(server.store.protectedBranches.get(1, "stable")?.pushAccessLevel).toBe(40);
  });

  it("answers 409 with GitLab's message when the name is already protected", async () => {
    expect((await protect({ name: "master" })).status).toBe(201);
    const res = await protect({ name: "master" });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ message: "Protected branch 'master' already exists" });
  });

  it("checks parameters as Grape does: missing name, and an access level outside 0/30/40/60", async () => {
    const missing = await protect({});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: "name is missing" });
    const bad = await protect({ name: "x", push_access_level: 20 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "push_access_level does not have a valid value" });
    const notNumber = await protect({ name: "x", merge_access_level: "lots" });
    expect(await notNumber.json()).toEqual({ error: "merge_access_level is invalid" });
    expect(server.store.protectedBranches.get(1, "x")).toBeUndefined();
  });

  it("answers a blank name with the record's 422", async () => {
    const res = await protect({ name: " " });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ message: ["Name can't be blank"] });
  });

  it("refuses a Developer with 403 and anonymous callers with 401", async () => {
    const dev = await protect({ name: "dev-only" }, V4_TOKENS.developer);
    expect(dev.status).toBe(403);
    expect(await dev.json()).toEqual({ message: "403 Forbidden" });
    const anonymous = await api(server, `${base}?name=x`, { method: "POST" });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ message: "401 Unauthorized" });
    expect(server.store.protectedBranches.get(1, "dev-only")).toBeUndefined();
  });
});

describe("DELETE /projects/:id/protected_branches/:name", () => {
  it("unprotects with 204, after which the branch reads as not found", async () => {
    await protect({ name: "master" });
    const res = await api(server, `${base}/master`, { method: "DELETE", token: V4_TOKENS.master });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect((await api(server, `${base}/master`, { token: V4_TOKENS.master })).status).toBe(404);
  });

  it("answers 404 for an unknown rule before the role check, then 403 below Maintainer", async () => {
    await protect({ name: "master" });
    const unknown = await api(server, `${base}/nope`, { method: "DELETE", token: V4_TOKENS.developer });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: "404 Not found" });
    const dev = await api(server, `${base}/master`, { method: "DELETE", token: V4_TOKENS.developer });
    expect(dev.status).toBe(403);
    expect(server.store.protectedBranches.get(1, "master")).toBeDefined();
  });
});
