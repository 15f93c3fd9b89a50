// v3 (/api/v3 builds, driven with fetch) and v4 (/api/v4 jobs, driven with gitbeaker) read and write
// the same rows: a change made through either API is what the other one answers.

import { Gitlab } from "@gitbeaker/rest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectRecentTimestamp } from "./expect-recent-timestamp.js";
import { type FixtureServer, JOBS, startFixtureServer, TOKENS } from "./start-fixture-server.js";

type Build = { id: number; status: string; name: string; user: { username: string } | null };

let server: FixtureServer;
let v4: InstanceType<typeof Gitlab>;
beforeEach(async () => {
  server = await startFixtureServer();
  v4 = new Gitlab({ host: server.url, token: TOKENS.root });
});
afterEach(() => server.close());

async function v3(path: string, method = "GET", token: string = TOKENS.root) {
  const res = await fetch(`${server.url}/api/v3/projects/1${path}`, {
    method,
    headers: { "PRIVATE-TOKEN": token },
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

describe("v3 and v4 share their rows", () => {
  it("a retry through v4 is a new build in v3, and a retry of it through v3 is a new job in v4", async () => {
    const viaV4 = await v4.Jobs.retry(1, JOBS.failed);
    const seenByV3 = await v3(`/builds/${viaV4.id}`);
    expect(seenByV3.status).toBe(200);
    expect(seenByV3.body).toMatchObject({ id: viaV4.id, status: "pending", name: "test" });
    expect((seenByV3.body as Build).user?.username).toBe("root");

    const canceled = await v3(`/builds/${viaV4.id}/cancel`, "POST");
    expect(canceled).toMatchObject({ status: 201, body: { id: viaV4.id, status: "canceled" } });
    const viaV3 = await v3(`/builds/${viaV4.id}/retry`, "POST", TOKENS.dev);
    expect(viaV3.status).toBe(201);
    const fresh = viaV3.body as Build;
    expect(fresh.id).toBe(viaV4.id + 1);

    const seenByV4 = await v4.Jobs.show(1, fresh.id);
    expect(seenByV4).toMatchObject({ id: fresh.id, status: "pending", name: "test" });
    expect((seenByV4.user as { username: string }).username).toBe("dev");
    expect((await v4.Jobs.show(1, viaV4.id)).status).toBe("canceled");
  });

  it("both lists hold the same ids in the same order after writes through both APIs", async () => {
    await v4.Jobs.retry(1, JOBS.succeeded);
    await v3(`/builds/${JOBS.canceled}/retry`, "POST");
    const v3Ids = ((await v3("/builds?per_page=100")).body as Build[]).map((b) => b.id);
    const v4Ids = (await v4.Jobs.all(1, { perPage: 100 })).map((j) => j.id);
    expect(v4Ids).toEqual(v3Ids);
    expect(v4Ids.slice(0, 2)).toEqual([14, 13]);
  });

  it("an erase through v3 shows in v4 as erased_at with an empty trace", async () => {
    expect((await v3(`/builds/${JOBS.withArtifacts}/erase`, "POST")).status).toBe(201);
    const job = await v4.Jobs.show(1, JOBS.withArtifacts);
    expectRecentTimestamp(job.erased_at);
    expect(job).not.toHaveProperty("artifacts_file");
    expect(await v4.Jobs.showLog(1, JOBS.withArtifacts)).toBe("");
  });

  it("a play through v4 is the same pending build in v3", async () => {
    await v4.Jobs.play(1, JOBS.manual);
    expect((await v3(`/builds/${JOBS.manual}`)).body).toMatchObject({ id: JOBS.manual, status: "pending" });
  });
});
