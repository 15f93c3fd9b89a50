// useGitLab() as a test suite uses it: one server for the file, each test starting from the seed with an
// empty journal. The tests run in order (vitest runs a file's tests one after another), which is what
// makes the second test prove the first one's changes were undone. The suite runs twice: on SQLite in memory
// (useGitLab's default) and, in its `postgres` project, with `db` naming a fresh schema of a throwaway
// PostgreSQL cluster, so resets, snapshots and fixtures are proven on both stores.

import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { testDatabase } from "../../../scripts/test-database.mjs";
import { RequestVerificationError, useGitLab } from "./index.js";

const seedFile = fileURLToPath(import.meta.resolve("@buildsim/server/seed-doc.yaml"));
const gitlab = useGitLab({ seedFile, db: testDatabase("testing"), log: () => {} });

const jobs = async () => {
  const res = await fetch(`${gitlab.url}/api/v4/projects/1/jobs`, {
    headers: { "PRIVATE-TOKEN": gitlab.token },
  });
  return (await res.json()) as Array<{ id: number; status: string }>;
};

describe("useGitLab", () => {
  it("serves the seed on a port of its own", async () => {
    expect(gitlab.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await jobs()).map((j) => j.id).sort((a, b) => a - b)).toEqual([6, 7, 8, 9, 69]);
  });

  it("lets a test change the state (retry a failed job)", async () => {
    // GitLab: POST /projects/:id/jobs/:job_id/retry answers 201 with the new job (doc/api/jobs.md).
    const res = await fetch(`${gitlab.url}/api/v4/projects/1/jobs/8/retry`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": gitlab.token },
    });
    expect(res.status).toBe(201);
    expect(await jobs()).toHaveLength(6);
    gitlab.requests.verify(1, { method: "POST", path: "/api/v4/projects/:id/jobs/:job_id/retry" });
  });

  it("starts the next test from the seed again, with an empty journal", async () => {
    expect(gitlab.requests.all()).toEqual([]);
    expect(await jobs()).toHaveLength(5);
  });

  it("fails verify with the journal's diff", async () => {
    await jobs();
    expect(() => gitlab.requests.verify(2, { method: "GET" })).toThrow(RequestVerificationError);
    expect(() => gitlab.requests.verify(2, { method: "GET" })).toThrow(
      /^Expected exactly 2 request\(s\) matching \{"method":"GET"\}, but 1 matched\.\n {2}matched: GET \/api\/v4\/projects\/1\/jobs → 200$/,
    );
  });
});

describe("useGitLab's faults", () => {
  it("breaks the next request as asked (GitLab's 500)", async () => {
    gitlab.faults.add({
      match: { path: "/api/v4/projects/1/jobs" },
      times: 1,
      effect: { type: "error", status: 500 },
    });
    const res = await fetch(`${gitlab.url}/api/v4/projects/1/jobs`, {
      headers: { "PRIVATE-TOKEN": gitlab.token },
    });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ message: "500 Internal Server Error" });
    gitlab.faults.add({ match: { path: "/api/v4/projects/1/jobs" }, effect: { type: "error", status: 503 } });
  });

  it("takes WebSocket link rules in the same style (on: runner | watcher)", () => {
    gitlab.faults.add({ id: "slow-trace", on: "watcher", times: 2, effect: { type: "delay", ms: 500 } });
    expect(gitlab.faults.list()).toEqual([
      {
        id: "slow-trace",
        on: "watcher",
        times: 2,
        effect: { type: "delay", ms: 500 },
        hits: 0,
        remaining: 2,
      },
    ]);
  });

  it("starts the next test without the rules the last one added", async () => {
    expect(gitlab.faults.list()).toEqual([]);
    expect(await jobs()).toHaveLength(5);
  });
});

describe("useGitLab's snapshots", () => {
  it("restores a named state inside a test", async () => {
    gitlab.snapshots.take("seeded");
    await fetch(`${gitlab.url}/api/v4/projects/1/jobs/8/retry`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": gitlab.token },
    });
    expect(await jobs()).toHaveLength(6);
    gitlab.snapshots.restore("seeded");
    expect(await jobs()).toHaveLength(5);
    gitlab.snapshots.drop("seeded");
  });
});

describe("useGitLab's clock", () => {
  it("freezes and moves the server's time inside a test (the Date header follows)", async () => {
    gitlab.clock.freeze("2031-05-04T10:00:00Z");
    gitlab.clock.advance("90 mins");
    const res = await fetch(`${gitlab.url}/api/v4/version`, { headers: { "PRIVATE-TOKEN": gitlab.token } });
    expect(res.headers.get("date")).toBe("Sun, 04 May 2031 11:30:00 GMT");
    expect(gitlab.clock.info()).toEqual({ now: "2031-05-04T11:30:00.000Z", frozen: true });
  });

  it("starts the next test on real time again", () => {
    expect(gitlab.clock.info().frozen).toBe(false);
    expect(Math.abs(Date.parse(gitlab.clock.info().now) - Date.now())).toBeLessThan(5000);
  });
});

describe("useGitLab's scripted jobs", () => {
  // GitLab: POST /projects/:id/jobs/:job_id/retry answers 201 with the new job (doc/api/jobs.md).
  it("plays a retried job without a runner: failed after 3 minutes with its trace", async () => {
    gitlab.clock.freeze();
    gitlab.jobs.add({ name: "teaspoon", trace: "Failures:\n", duration: "3 mins", exitCode: 1 });
    const retried = await fetch(`${gitlab.url}/api/v4/projects/1/jobs/7/retry`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": gitlab.token },
    });
    const { id } = (await retried.json()) as { id: number };
    gitlab.clock.advance("3 mins");
    const job = (await (
      await fetch(`${gitlab.url}/api/v4/projects/1/jobs/${id}`, {
        headers: { "PRIVATE-TOKEN": gitlab.token },
      })
    ).json()) as { status: string; failure_reason: string; duration: number };
    expect(job).toMatchObject({ status: "failed", failure_reason: "script_failure", duration: 180 });
  });

  it("starts the next test without the scripts", () => {
    expect(gitlab.jobs.list()).toEqual([]);
  });
});

describe("useGitLab's fixtures", () => {
  it("loads a fixture exported from this run in place of the state, for the test that follows", async () => {
    await fetch(`${gitlab.url}/api/v4/projects/1/jobs/8/retry`, {
      method: "POST",
      headers: { "PRIVATE-TOKEN": gitlab.token },
    });
    const afterRetry = gitlab.fixtures.export();
    gitlab.reset();
    expect(await jobs()).toHaveLength(5);
    gitlab.fixtures.load(afterRetry);
    expect(await jobs()).toHaveLength(6);
  });

  it("merges a fixture into the state: a job added to the seed's pipeline, the seed's jobs kept", async () => {
    gitlab.fixtures.load(
      { builds: [{ id: 70, pipeline: 2, name: "merged", status: "failed", trace: "merged\n" }] },
      { mode: "merge" },
    );
    const after = await jobs();
    expect(after.map((j) => j.id).sort((a, b) => a - b)).toEqual([6, 7, 8, 9, 69, 70]);
    expect(after.find((j) => j.id === 70)?.status).toBe("failed");
    // A job whose pipeline is in neither the fixture nor the state is refused, naming the field.
    expect(() =>
      gitlab.fixtures.load({ builds: [{ id: 71, pipeline: 99, name: "orphan" }] }, { mode: "merge" }),
    ).toThrow(/builds\[0\]\.pipeline: must name a declared pipeline/);
    expect(await jobs()).toHaveLength(6);
  });
});

describe("useGitLab without resets", () => {
  const kept = useGitLab({ seedFile, db: testDatabase("testing"), log: () => {}, resetBetweenTests: false });

  it("keeps its journal across tests when asked to (first test)", async () => {
    await fetch(`${kept.url}/api/v4/version`, { headers: { "PRIVATE-TOKEN": kept.token } });
    expect(kept.requests.count()).toBe(1);
  });

  it("keeps its journal across tests when asked to (second test)", () => {
    expect(kept.requests.count()).toBe(1);
  });
});

describe("a double read while the file is being collected", () => {
  const early = useGitLab({ seedFile, db: testDatabase("testing"), log: () => {} });
  let message = "";
  try {
    void early.url;
  } catch (e) {
    message = (e as Error).message;
  }

  it("says its server starts in beforeAll", () => {
    expect(message).toMatch(/the server starts in beforeAll/);
  });
});
