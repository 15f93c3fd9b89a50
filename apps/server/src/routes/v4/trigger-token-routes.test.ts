import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

const call = (method: string, path: string, token: string, body?: Record<string, unknown>) =>
  api(server, `/api/v4/projects/1${path}`, {
    method,
    token,
    ...(body ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
  });

async function created(token: string = V4_TOKENS.master) {
  const res = await call("POST", "/triggers", token, { description: "deploy hook" });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: number; token: string; owner: { username: string } };
}

describe("the pipeline trigger tokens API", () => {
  it("creates a token owned by the caller and shows it whole only to its owner", async () => {
    // https://docs.gitlab.com/17.0/ee/api/pipeline_triggers.html: "The trigger token is displayed in full
    // if the trigger token was created by the authenticated user. Trigger tokens created by other users
    // are shortened to four characters." Tokens are `glptt-` and hex (app/models/ci/trigger.rb).
    const trigger = await created();
    expect(trigger).toEqual({
      id: 1,
      token: expect.stringMatching(/^glptt-tok-\d{6}$/),
      description: "deploy hook",
      created_at: "2026-01-01T00:00:00.000Z",
      updated_at: "2026-01-01T00:00:00.000Z",
      last_used: null,
      expires_at: null,
      owner: expect.objectContaining({ id: 2, username: "master" }),
    });
    const mine = await call("GET", "/triggers", V4_TOKENS.master);
    expect(mine.headers.get("x-total")).toBe("1");
    expect(((await mine.json()) as Array<{ token: string }>)[0]?.token).toBe(trigger.token);
    // An admin, not the owner: `short_token` is the four characters after the prefix.
    const other = await call("GET", `/triggers/${trigger.id}`, V4_TOKENS.root);
    expect(((await other.json()) as { token: string }).token).toBe("tok-");
  });

  it("lets only the owner change the description, with GitLab's reason for everyone else", async () => {
    // Ci::PipelineTriggers::UpdateService: `admin_trigger` is `admin_build` and owning the token.
    const trigger = await created();
    const byAdmin = await call("PUT", `/triggers/${trigger.id}`, V4_TOKENS.root, { description: "x" });
    expect(byAdmin.status).toBe(403);
    expect(await byAdmin.json()).toEqual({
      message: "403 Forbidden - The current user is not authorized to update the pipeline trigger token",
    });
    const byOwner = await call("PUT", `/triggers/${trigger.id}`, V4_TOKENS.master, {
      description: "nightly",
    });
    expect(byOwner.status).toBe(200);
    expect(await byOwner.json()).toMatchObject({ id: trigger.id, description: "nightly" });
    expect(server.store.pipelineTriggers.get(trigger.id)?.description).toBe("nightly");
  });

  it("answers 404 Not found for a trigger that is not the project's, and deletes with 204", async () => {
    // `user_project.triggers.find` raises ActiveRecord::RecordNotFound: GitLab's "404 Not found".
    const trigger = await created();
    const elsewhere = await api(server, `/api/v4/projects/3/triggers/${trigger.id}`, {
      token: V4_TOKENS.root,
    });
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toEqual({ message: "404 Not found" });
    expect((await call("DELETE", `/triggers/${trigger.id}`, V4_TOKENS.root)).status).toBe(204);
    const gone = await call("GET", `/triggers/${trigger.id}`, V4_TOKENS.master);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ message: "404 Not found" });
  });

  it("requires a description and an integer trigger id, as Grape validates them", async () => {
    const missing = await call("POST", "/triggers", V4_TOKENS.master, {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: "description is missing" });
    const bad = await call("GET", "/triggers/abc", V4_TOKENS.master);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "trigger_id is invalid" });
  });
});

describe("trigger tokens in a seed file", () => {
  it("loads a project's triggers with their owners, and rejects a trigger without one", async () => {
    const seeded = await startTestServer({
      seedText: JOBS_V4_SEED.replace(
        "protected_branches: []",
        "protected_branches: []\n    triggers:\n      - { description: nightly, owner: master, token: glptt-seeded0000 }",
      ),
    });
    try {
      const res = await api(seeded, "/api/v4/projects/1/triggers", { token: V4_TOKENS.master });
      expect(await res.json()).toEqual([
        expect.objectContaining({
          description: "nightly",
          token: "glptt-seeded0000",
          owner: expect.objectContaining({ id: 2 }),
        }),
      ]);
    } finally {
      await seeded.close();
    }
    const broken = JOBS_V4_SEED.replace(
      "protected_branches: []",
      "protected_branches: []\n    triggers: [{ description: x }]",
    );
    await expect(startTestServer({ seedText: broken })).rejects.toThrow(
      /projects\[0\]\.triggers\[0\]\.owner.*is required/,
    );
  });
});
