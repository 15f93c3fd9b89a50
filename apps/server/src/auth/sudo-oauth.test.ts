// Sudo is for private tokens. GitLab 8.17 (lib/api/helpers.rb `sudo!`): an OAuth token with sudo gets
// 403 "Private token must be specified in order to use sudo". GitLab 17.0 (`sudo!` then
// `validate_access_token!(scopes: [:sudo])`, lib/api/api_guard.rb): a token without the `sudo` scope
// gets 403 insufficient_scope; buildsim's OAuth tokens carry `api` only. 17.0 also words a missing sudo
// user as "404 User with ID or username '<x>' Not Found".

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { authMatrixSeed, MATRIX_TOKENS, matrixBuilds } from "../test-support/auth-matrix-seed.js";
import { api, startTestServer } from "../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: authMatrixSeed() });
});
afterEach(() => server.close());

const v3Build = `/api/v3/projects/1/builds/${matrixBuilds(1).done}`;
const v4Job = `/api/v4/projects/1/jobs/${matrixBuilds(1).done}`;
const bearer = { Authorization: `Bearer ${MATRIX_TOKENS.admin}` };

describe("sudo with an OAuth token", () => {
  it("is refused on v3 with 8.17's 403, by header or access_token param", async () => {
    for (const res of [
      await api(server, `${v3Build}?sudo=guest`, { headers: bearer }),
      await api(server, `${v3Build}?sudo=guest&access_token=${MATRIX_TOKENS.admin}`),
    ]) {
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        message: "403 Forbidden - Private token must be specified in order to use sudo",
      });
    }
  });

  it("is refused on v4 with 17.0's insufficient_scope", async () => {
    const res = await api(server, `${v4Job}?sudo=guest`, { headers: bearer });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: "insufficient_scope",
      error_description: "The request requires higher privileges than provided by the access token.",
      scope: "sudo",
    });
  });

  it("still works without sudo, and sudo still works with the private token", async () => {
    expect((await api(server, v3Build, { headers: bearer })).status).toBe(200);
    expect((await api(server, `${v3Build}?sudo=reporter`, { token: MATRIX_TOKENS.admin })).status).toBe(200);
  });

  it("is refused to a non-admin as before, whatever the token's kind", async () => {
    const res = await api(server, `${v3Build}?sudo=admin`, {
      headers: { Authorization: `Bearer ${MATRIX_TOKENS.master}` },
    });
    expect(await res.json()).toEqual({ message: "403 Forbidden - Must be admin to use sudo" });
  });
});

describe("a sudo user that does not exist", () => {
  it("is worded as 8.17 on v3 and as 17.0 on v4", async () => {
    const v3 = await api(server, `${v3Build}?sudo=nobody`, { token: MATRIX_TOKENS.admin });
    expect(await v3.json()).toEqual({ message: "404 No user id or username for: nobody Not Found" });
    const v4 = await api(server, `${v4Job}?sudo=nobody`, { token: MATRIX_TOKENS.admin });
    expect(v4.status).toBe(404);
    expect(await v4.json()).toEqual({ message: "404 User with ID or username 'nobody' Not Found" });
  });
});
