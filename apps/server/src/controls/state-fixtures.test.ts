// The state as data on the handle: export a run's state as a seed document that loads back to the same
// API answers, and load a fixture in place of the whole state. Real servers on port 0, real SQLite.

import { describe, expect, it } from "vitest";
import { ControlInputError } from "../http/control-input-error.js";
import type { RunningServer } from "../start-server.js";
import { JOBS_V4_SEED, V4_TOKENS } from "../test-support/jobs-v4-seed.js";
import { startedPerTest } from "../test-support/start-test-server.js";

const start = startedPerTest();

const ROOT = V4_TOKENS.root;
const get = (s: RunningServer, path: string, token: string = ROOT) =>
  fetch(`${s.url}${path}`, { headers: { "PRIVATE-TOKEN": token } });
/** What a client sees of project 1's jobs and pipelines (the pipelines' iids and times included). */
const jobsOf = async (s: RunningServer) => [
  await (await get(s, "/api/v4/projects/1/jobs?per_page=100")).text(),
  await (await get(s, "/api/v4/projects/1/pipelines/1")).text(),
  await (await get(s, "/api/v4/projects/1/pipelines/2")).text(),
];

describe("the state as a seed document", () => {
  it("exports a run's state that loads into a new server with the same jobs, traces and artifacts", async () => {
    const first = await start(JOBS_V4_SEED);
    // The run: a retry (a new job), an erase (trace and artifacts gone), a cancel.
    for (const action of ["2/retry", "7/erase", "4/cancel"]) {
      const project = action.startsWith("7/") ? 3 : 1;
      const res = await fetch(`${first.url}/api/v4/projects/${project}/jobs/${action}`, {
        method: "POST",
        headers: { "PRIVATE-TOKEN": ROOT },
      });
      expect(res.status, action).toBe(201);
    }
    const exported = first.fixtures.export();
    const second = await start(JSON.stringify(exported));
    expect(await jobsOf(second)).toEqual(await jobsOf(first));
    expect(await (await get(second, "/api/v4/projects/1/jobs/1/trace")).text()).toBe("built\n");
    const zip = async (s: RunningServer) =>
      Buffer.from(await (await get(s, "/api/v4/projects/1/jobs/1/artifacts")).arrayBuffer());
    expect((await zip(second)).equals(await zip(first))).toBe(true);
    expect(await (await get(second, "/api/v4/projects/1/jobs/1/artifacts/out/a.txt")).text()).toBe("A\n");
    expect((await get(second, "/api/v4/projects/3/jobs/7/artifacts")).status).toBe(404);
    // Loading the export and exporting again changes nothing.
    expect(second.fixtures.export()).toEqual(exported);
  });

  it("keeps bytes that are not UTF-8 (a binary trace, a zip) as base64 and serves them back unchanged", async () => {
    const binary = Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d, 0xff, 0xfe, 0x00, 0x0a]);
    const zip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0), 0xc3]);
    const seed = JOBS_V4_SEED.replace(
      "  - { id: 6, pipeline: 3, name: other, status: success }",
      `  - { id: 6, pipeline: 3, name: other, status: success, trace_base64: "${binary.toString("base64")}", artifacts: { filename: a.zip, contents_base64: "${zip.toString("base64")}" } }`,
    );
    const first = await start(seed);
    const bytesOf = async (s: RunningServer, path: string) =>
      Buffer.from(await (await get(s, `/api/v4/projects/2/jobs/6/${path}`)).arrayBuffer());
    expect((await bytesOf(first, "trace")).equals(binary)).toBe(true);
    const exported = first.fixtures.export() as { builds: Array<Record<string, unknown>> };
    const job6 = exported.builds.find((b) => b.id === 6)!;
    expect(job6.trace_base64).toBe(binary.toString("base64"));
    expect(job6.artifacts).toEqual({ filename: "a.zip", contents_base64: zip.toString("base64") });
    const second = await start(JSON.stringify(exported));
    expect((await bytesOf(second, "trace")).equals(binary)).toBe(true);
    expect((await bytesOf(second, "artifacts")).equals(zip)).toBe(true);
  });
});

describe("loading a fixture", () => {
  it("replaces the whole state, keeping the handle's admin token and the registration token", async () => {
    const server = await start(JOBS_V4_SEED);
    const fixture = `
users:
  - { id: 1, username: ada, admin: true, tokens: [ada-token] }
projects:
  - { id: 9, path: lab/one }
commits:
  - { project: 9, sha: "${"9".repeat(40)}" }
pipelines:
  - { id: 1, project: 9, sha: "${"9".repeat(40)}", ref: main }
builds:
  - { id: 1, pipeline: 1, name: only, status: success, trace: "done\\n" }
`;
    server.fixtures.load(fixture);
    expect((await get(server, "/api/v4/projects/1", server.token)).status).toBe(404);
    const jobs = (await (await get(server, "/api/v4/projects/9/jobs", "ada-token")).json()) as Array<{
      name: string;
    }>;
    expect(jobs.map((j) => j.name)).toEqual(["only"]);
    // The handle's token now belongs to the fixture's admin.
    expect(
      ((await (await get(server, "/api/v4/user", server.token)).json()) as { username: string }).username,
    ).toBe("ada");
    const registered = await fetch(`${server.url}/api/v4/runners`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: server.registrationToken }),
    });
    expect(registered.status).toBe(201);
    // A reset goes back to the seed the server started with, not to the fixture.
    server.reset();
    expect((await get(server, "/api/v4/projects/1")).status).toBe(200);
  });

  it("refuses a fixture with problems, listing them, and changes nothing", async () => {
    const server = await start(JOBS_V4_SEED);
    expect(() =>
      server.fixtures.load("users:\n  - { id: 1 }\nbuilds:\n  - { id: 1, pipeline: 5 }\n"),
    ).toThrow(ControlInputError);
    expect(() => server.fixtures.load("users: [")).toThrow(/^fixture has 1 problem\(s\): 1:/);
    expect(() => server.fixtures.load({ users: [{ username: "a", colour: "red" }] })).toThrow(/colour/);
    expect((await get(server, "/api/v4/projects/1/jobs/1")).status).toBe(200);
  });
});

describe("merging a fixture", () => {
  it("adds and overwrites records by id in one go, keeping everything the fixture does not name", async () => {
    const server = await start(JOBS_V4_SEED);
    // Something outside the seed format, which a merge must not lose: a retried job.
    expect(
      (
        await fetch(`${server.url}/api/v4/projects/1/jobs/2/retry`, {
          method: "POST",
          headers: { "PRIVATE-TOKEN": ROOT },
        })
      ).status,
    ).toBe(201);
    server.fixtures.load(
      {
        users: [{ id: 9, username: "newcomer", tokens: ["tok-new"] }],
        builds: [
          // A new job in the state's pipeline 1, and job 1 overwritten (failed now, no artifacts).
          { id: 40, pipeline: 1, name: "merged", status: "success", trace: "merged\n" },
          { id: 1, pipeline: 1, name: "compile", status: "failed", failure_reason: "script_failure" },
        ],
      },
      { mode: "merge" },
    );
    const job = async (id: number) =>
      (await (await get(server, `/api/v4/projects/1/jobs/${id}`)).json()) as Record<string, unknown>;
    expect(await job(40)).toMatchObject({ name: "merged", status: "success", user: null });
    expect(await (await get(server, "/api/v4/projects/1/jobs/40/trace")).text()).toBe("merged\n");
    expect(await job(1)).toMatchObject({ status: "failed", failure_reason: "script_failure", artifacts: [] });
    expect((await get(server, "/api/v4/projects/1/jobs/1/artifacts")).status).toBe(404);
    // The overwritten job keeps its token: the fixture gave none.
    expect(server.store.builds.get(1)!.token).toBe(V4_TOKENS.finishedJob);
    // Untouched: the other jobs (the retry's new one too), the users, the pipeline 2 jobs.
    const ids = (
      (await (await get(server, "/api/v4/projects/1/jobs?per_page=100")).json()) as Array<{ id: number }>
    ).map((j) => j.id);
    expect(ids.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 8, 40]);
    expect((await get(server, "/api/v4/user", "tok-new")).status).toBe(200);
    expect((await get(server, "/api/v4/user", V4_TOKENS.developer)).status).toBe(200);
    // A pipeline overwritten without a status takes the one its jobs (the state's) give it.
    server.fixtures.load(
      { pipelines: [{ id: 3, project: 2, sha: "3".repeat(40), ref: "main" }] },
      { mode: "merge" },
    );
    const other = (await (await get(server, "/api/v4/projects/2/pipelines/3")).json()) as Record<
      string,
      unknown
    >;
    expect(other).toMatchObject({ ref: "main", status: "success" });
  });

  // The rule: a fixture that contradicts the state is refused with the field named, nothing half-applied.
  it("refuses a job whose pipeline is in neither the fixture nor the state, naming the field, and changes nothing", async () => {
    const server = await start(JOBS_V4_SEED);
    const before = JSON.stringify(server.fixtures.export());
    const fixture = {
      users: [{ id: 9, username: "newcomer" }],
      builds: [{ id: 40, pipeline: 77, name: "orphan" }],
    };
    expect(() => server.fixtures.load(fixture, { mode: "merge" })).toThrow(
      new ControlInputError("fixture has 1 problem(s): builds[0].pipeline: must name a declared pipeline"),
    );
    // A username the state gives another user is a contradiction too.
    expect(() =>
      server.fixtures.load({ users: [{ id: 9, username: "developer" }] }, { mode: "merge" }),
    ).toThrow(/users\[0\]\.username: duplicate username developer/);
    expect(JSON.stringify(server.fixtures.export())).toBe(before);
  });

  it("rolls back every record when the store refuses one (a job token another job holds)", async () => {
    const server = await start(JOBS_V4_SEED);
    const fixture = {
      users: [{ id: 9, username: "newcomer", tokens: ["tok-new"] }],
      builds: [{ id: 40, pipeline: 1, name: "clash", token: V4_TOKENS.runningJob }],
    };
    expect(() => server.fixtures.load(fixture, { mode: "merge" })).toThrow(/^fixture cannot be merged: /);
    expect((await get(server, "/api/v4/user", "tok-new")).status).toBe(401);
    expect((await get(server, "/api/v4/projects/1/jobs/40")).status).toBe(404);
    expect(() => server.fixtures.load({}, { mode: "upsert" as "merge" })).toThrow(
      "options.mode does not have a valid value (replace or merge)",
    );
  });
});
