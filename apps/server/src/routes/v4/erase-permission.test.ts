// Who may erase a job on v4, as GitLab 17.0 decides it: `authorize!(:erase_build, build)` after
// `authorize_update_builds!` (lib/api/ci/jobs.rb); Ci::BuildPolicy enables erase_build for
// `admin_build` (Maintainer and above) or for `update_build` on a job the user started.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../../test-support/jobs-v4-seed.js";
import { api, startTestServer } from "../../test-support/start-test-server.js";

let server: RunningServer;
beforeEach(async () => {
  server = await startTestServer({ seedText: JOBS_V4_SEED });
});
afterEach(() => server.close());

const erase = (job: number, token: string) =>
  api(server, `/api/v4/projects/1/jobs/${job}/erase`, { method: "POST", token });

describe("POST /projects/:id/jobs/:job_id/erase", () => {
  it("refuses a Developer a job someone else started with 403, erasing nothing", async () => {
    const res = await erase(1, V4_TOKENS.developer);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: "403 Forbidden" });
    expect(server.store.builds.get(1)?.erasedAt).toBeNull();
    expect(server.store.traces.read(1).toString()).toBe("built\n");
  });

  it("lets a Developer erase a job they started", async () => {
    server.app.traces.appendTrace(4, 0, Buffer.from("lint output\n"));
    await api(server, "/api/v4/projects/1/jobs/4/cancel", { method: "POST", token: V4_TOKENS.root });
    const res = await erase(4, V4_TOKENS.developer);
    expect(res.status).toBe(201);
    expect(server.store.builds.get(4)?.erasedById).toBe(3);
  });

  it("lets a Maintainer and an admin erase anyone's job", async () => {
    expect((await erase(1, V4_TOKENS.master)).status).toBe(201);
    expect((await erase(2, V4_TOKENS.root)).status).toBe(201);
  });

  it("still refuses a Reporter with 403 before looking at the job", async () => {
    expect((await erase(1, V4_TOKENS.reporter)).status).toBe(403);
  });
});
