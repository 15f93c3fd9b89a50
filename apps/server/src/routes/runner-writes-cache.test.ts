// Runner writes and the read cache: a heartbeat (a runner's hello, which records its contact time) keeps
// the cached job entities that show the runner, unless it changes what they show. GitLab's Job entity
// embeds `Entities::Ci::Runner`, whose `online`/`status` say whether the runner was contacted in the last
// two hours (https://docs.gitlab.com/api/jobs/#get-a-single-job, app/models/ci/runner.rb `online?`).

import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../start-server.js";
import { ORACLE_TOKEN, oracleSeed } from "../test-support/oracle-seed.js";
import { connectRunner } from "../test-support/protocol-client.js";
import { api, createFakeClock, startTestServer } from "../test-support/start-test-server.js";

const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Build 1 of the oracle seed: a finished job that ran on runner 1 (token `oracle-runner`). */
const JOB = "/api/v4/projects/1/jobs/1";
const BUILD = "/api/v3/projects/1/builds/1";

async function start() {
  const clock = createFakeClock("2026-03-01T12:00:00.000Z");
  const server = await startTestServer({ seedText: oracleSeed(clock.now().toISOString()), clock: clock.now });
  servers.push(server);
  const cache = server.app.readCache!;
  const cachedJob = () => cache.v4.get(1, clock.now().getTime());
  const cachedBuild = () => cache.v3.get(1, clock.now().getTime());
  const runnerOf = async (target: string) => {
    const res = await api(server, target, { token: ORACLE_TOKEN });
    expect(res.status).toBe(200);
    return ((await res.json()) as { runner: Record<string, unknown> | null }).runner;
  };
  /** A runner connection's hello (it records the contact time and the name), then the socket closes. */
  const hello = async (name = "test-runner") => {
    const { client } = await connectRunner(server, "oracle-runner");
    await client.close();
    expect(server.store.runners.get(1)?.name).toBe(name);
  };
  return { server, clock, cachedJob, cachedBuild, runnerOf, hello };
}

describe("runner writes and the read cache", () => {
  it("keeps the cached job and build entities across a heartbeat of the runner they show online", async () => {
    const { clock, cachedJob, cachedBuild, runnerOf, hello } = await start();
    await hello();
    expect(await runnerOf(JOB)).toMatchObject({ id: 1, online: true, status: "online" });
    expect(await runnerOf(BUILD)).toMatchObject({ id: 1, name: "test-runner" });
    const job = cachedJob();
    const build = cachedBuild();
    expect(job).toBeDefined();
    expect(build).toBeDefined();

    clock.advance(60_000);
    await hello();
    expect(cachedJob()).toBe(job);
    expect(cachedBuild()).toBe(build);
    expect(await runnerOf(JOB)).toMatchObject({ online: true, status: "online" });
  });

  it("re-renders the job entity when the runner's first contact turns it from never contacted to online", async () => {
    const { cachedJob, cachedBuild, runnerOf, server } = await start();
    expect(await runnerOf(JOB)).toMatchObject({ online: false, status: "never_contacted", name: null });
    await runnerOf(BUILD);
    const job = cachedJob();
    expect(job).toBeDefined();

    // Contact alone (the name stays): the v3 build, which shows no online state, stays cached.
    const runner = server.store.runners.get(1)!;
    server.store.transaction(() => server.store.runners.save({ ...runner, contactedAt: server.app.now() }));
    expect(cachedJob()).toBeUndefined();
    expect(cachedBuild()).toBeDefined();
    expect(await runnerOf(JOB)).toMatchObject({ online: true, status: "online" });
  });

  it("re-renders the job entity when a runner shown offline makes contact again", async () => {
    const { clock, cachedJob, runnerOf, hello } = await start();
    await hello();
    clock.advance(3 * 60 * 60 * 1000);
    expect(await runnerOf(JOB)).toMatchObject({ online: false, status: "offline" });
    expect(cachedJob()).toBeDefined();

    await hello();
    expect(cachedJob()).toBeUndefined();
    expect(await runnerOf(JOB)).toMatchObject({ online: true, status: "online" });
  });

  it("re-renders the job and build entities when the runner's name changes, it is deleted, or a new runner takes its id", async () => {
    const { cachedJob, cachedBuild, runnerOf, hello, server } = await start();
    await hello();
    await runnerOf(JOB);
    await runnerOf(BUILD);
    expect(cachedJob()).toBeDefined();

    const runner = server.store.runners.get(1)!;
    server.store.transaction(() => server.store.runners.save({ ...runner, name: "renamed" }));
    expect(cachedJob()).toBeUndefined();
    expect(cachedBuild()).toBeUndefined();
    expect(await runnerOf(JOB)).toMatchObject({ name: "renamed" });
    expect(await runnerOf(BUILD)).toMatchObject({ name: "renamed" });

    const res = await api(server, "/api/v4/runners/1", { method: "DELETE", token: ORACLE_TOKEN });
    expect(res.status).toBe(204);
    expect(cachedJob()).toBeUndefined();
    expect(await runnerOf(JOB)).toBeNull();
    expect(await runnerOf(BUILD)).toBeNull();

    // The next registration takes the deleted runner's id, which the build still names.
    const id = server.store.runners.nextId();
    expect(id).toBe(1);
    server.store.transaction(() =>
      server.store.runners.insert({
        ...runner,
        id,
        token: "new-runner",
        name: "newcomer",
        contactedAt: null,
      }),
    );
    expect(cachedJob()).toBeUndefined();
    expect(await runnerOf(JOB)).toMatchObject({ id: 1, name: "newcomer", status: "never_contacted" });
  });

  it("shows a listed job's runner going offline on a page read again with no write between, once its two hours pass", async () => {
    const { clock, hello, server } = await start();
    await hello();
    // Finished jobs only: the whole page is kept, and read again without looking at its entities
    // while nothing is written, until the first of them may read differently.
    const PAGE = "/api/v4/projects/1/jobs?scope=success&per_page=100";
    const runnersOnPage = async () => {
      const res = await api(server, PAGE, { token: ORACLE_TOKEN });
      expect(res.status).toBe(200);
      const jobs = (await res.json()) as Array<{ id: number; runner: { status: string } | null }>;
      return jobs.find((j) => j.id === 1)?.runner?.status;
    };
    expect(await runnersOnPage()).toBe("online");
    clock.advance(60 * 60 * 1000);
    expect(await runnersOnPage()).toBe("online");
    clock.advance(60 * 60 * 1000 + 1);
    expect(await runnersOnPage()).toBe("offline");
  });
});
