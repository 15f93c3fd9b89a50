import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { authMatrixSeed, MATRIX_TOKENS, matrixBuilds } from "../test-support/auth-matrix-seed.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: authMatrixSeed() });
});
afterEach(() => server.close());

const buildPath = `/api/v3/projects/1/builds/${matrixBuilds(1).done}`;

describe("tokens", () => {
  it("accepts the private_token query param", async () => {
    const res = await api(server, `${buildPath}?private_token=${MATRIX_TOKENS.reporter}`);
    expect(res.status).toBe(200);
  });

  it("prefers the private_token param over the PRIVATE-TOKEN header", async () => {
    const res = await api(server, `${buildPath}?private_token=nope`, { token: MATRIX_TOKENS.admin });
    expect(res.status).toBe(401);
  });

  it("accepts private_token in a JSON body", async () => {
    const res = await api(server, `${buildPath}/cancel`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ private_token: MATRIX_TOKENS.developer }),
    });
    expect(res.status).toBe(201);
  });
});

describe("sudo", () => {
  it("lets an admin act as another user (param by username)", async () => {
    const res = await api(server, `${buildPath}?sudo=guest`, { token: MATRIX_TOKENS.admin });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: "403 Forbidden" });
  });

  it("takes the SUDO header with a user id", async () => {
    const res = await api(server, buildPath, { token: MATRIX_TOKENS.admin, headers: { SUDO: "3" } });
    expect(res.status).toBe(200);
  });

  it("makes the sudo user the one who retries", async () => {
    const res = await api(server, `${buildPath}/retry?sudo=developer`, {
      token: MATRIX_TOKENS.admin,
      method: "POST",
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { user: { username: string } }).user.username).toBe("developer");
  });

  it("refuses sudo to a non-admin with 403 Must be admin", async () => {
    const res = await api(server, `${buildPath}?sudo=admin`, { token: MATRIX_TOKENS.master });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: "403 Forbidden - Must be admin to use sudo" });
  });

  it("answers 404 for a sudo user that does not exist", async () => {
    const res = await api(server, `${buildPath}?sudo=nobody`, { token: MATRIX_TOKENS.admin });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 No user id or username for: nobody Not Found" });
  });

  it("checks the token before sudo: 401 for a bad token with sudo", async () => {
    const res = await api(server, `${buildPath}?sudo=guest`, { token: "bad" });
    expect(res.status).toBe(401);
  });
});

describe("project ids", () => {
  it("finds a project by its URL-encoded namespace/project path", async () => {
    const res = await api(server, `/api/v3/projects/group%2Fprivate/builds/${matrixBuilds(1).done}`, {
      token: MATRIX_TOKENS.admin,
    });
    expect(res.status).toBe(200);
  });

  it("answers 404 Project Not Found for an unknown path", async () => {
    const res = await api(server, "/api/v3/projects/group%2Fnope/builds", { token: MATRIX_TOKENS.admin });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 Project Not Found" });
  });

  it("answers 404 Not Found for a build of another project", async () => {
    const res = await api(server, `/api/v3/projects/2/builds/${matrixBuilds(1).done}`, {
      token: MATRIX_TOKENS.admin,
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: "404 Not Found" });
  });
});

describe("order of checks", () => {
  it("validates build_id (400) before looking up the project (404)", async () => {
    const res = await api(server, "/api/v3/projects/999/builds/abc", { token: MATRIX_TOKENS.admin });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "build_id is invalid" });
  });

  it("authenticates (401) before validating (400)", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/abc");
    expect(res.status).toBe(401);
  });

  it("looks up the project (404) before the ability (403)", async () => {
    const res = await api(server, `/api/v3/projects/1/builds/${matrixBuilds(1).done}/cancel`, {
      method: "POST",
      token: MATRIX_TOKENS.outsider,
    });
    expect(res.status).toBe(404);
  });

  it("checks the ability (403) before the build (404)", async () => {
    const res = await api(server, "/api/v3/projects/1/builds/999999/cancel", {
      method: "POST",
      token: MATRIX_TOKENS.reporter,
    });
    expect(res.status).toBe(403);
  });
});
