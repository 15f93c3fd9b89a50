import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerEvents } from "../events/server-events.js";
import { loadSeedText } from "../fixtures/load-seed.js";
import { createBuildActions } from "../services/build-actions.js";
import { createBuildTransitions } from "../services/build-transitions.js";
import { PIPELINE_SEED } from "../test-support/pipeline-seed.js";
import { CHILD_TRIGGER } from "../test-support/trigger-fixture.js";
import { createSqliteStore, type SqliteStore } from "./create-store.js";

let store: SqliteStore;
beforeEach(() => {
  store = createSqliteStore({ memory: true });
  loadSeedText(store, PIPELINE_SEED, "pipeline-seed", "2026-01-01T00:00:00.000Z");
});
afterEach(() => store.close());

const countsByStatus = () =>
  Object.fromEntries(
    (
      store.db
        .prepare("SELECT status, COUNT(*) AS n FROM builds WHERE project_id = 1 GROUP BY status")
        .all() as {
        status: string;
        n: number;
      }[]
    ).map((r) => [r.status, r.n]),
  );

describe("the builds repository", () => {
  it("moves the counts from the status the row really had when a save is told a stale stored status", () => {
    const build = store.builds.get(1)!;
    const before = countsByStatus();
    // The caller believes build 1 is `canceled`; the row says otherwise: the row wins.
    store.transaction(() =>
      store.builds.saveTransition({ ...build, status: "running" }, { ...build, status: "canceled" }),
    );
    expect(store.builds.get(1)!.status).toBe("running");
    const after = countsByStatus();
    expect(after).not.toEqual(before);
    for (const [status, n] of Object.entries(after))
      expect(store.builds.count({ projectId: 1, statuses: [status as never] })).toBe(n);
    // Told the stored status right, the save needs no read of it, and counts stay exact.
    store.transaction(() =>
      store.builds.saveTransition({ ...build, status: "success" }, { ...build, status: "running" }),
    );
    for (const [status, n] of Object.entries(countsByStatus()))
      expect(store.builds.count({ projectId: 1, statuses: [status as never] })).toBe(n);
    expect(() => store.transaction(() => store.builds.saveTransition({ ...build, id: 999 }, build))).toThrow(
      /build 999 does not exist/,
    );
  });

  it("keeps cached counts equal to the rows through inserts and status changes", () => {
    const transitions = createBuildTransitions(store, new ServerEvents());
    let token = 0;
    const actions = createBuildActions({
      store,
      transitions,
      now: () => "2026-01-02T00:00:00.000Z",
      generateToken: () => `t-${++token}`,
    });
    const root = store.users.get(1)!;
    expect(actions.cancel(3).ok).toBe(true);
    expect(actions.retry(1, root).ok).toBe(true);
    expect(actions.retry(5, root).ok).toBe(true);
    expect(actions.play(8, root).ok).toBe(true);
    const expected = countsByStatus();
    for (const [status, n] of Object.entries(expected))
      expect(store.builds.count({ projectId: 1, statuses: [status as never] })).toBe(n);
    expect(store.builds.count({ projectId: 1, statuses: null })).toBe(
      Object.values(expected).reduce((a, b) => a + b, 0),
    );
  });

  it("gives a pipeline's distinct latest (status, allowFailure) pairs and whether a build is still created", () => {
    // What the composite status is computed from (GitLab's Ci::Status::Composite over latest builds).
    const pipelineId = store.builds.get(1)!.pipelineId;
    const members = store.builds.listByPipeline(pipelineId);
    const expected = new Set(members.filter((b) => !b.retried).map((b) => `${b.status}/${b.allowFailure}`));
    const pairs = () =>
      store.builds.latestStatusGroups(pipelineId).map((g) => `${g.status}/${g.allowFailure}`);
    expect(new Set(pairs())).toEqual(expected);
    expect(pairs()).toHaveLength(expected.size);
    // Both flags of one status are found, and a retried build's status no longer counts.
    const [first, second] = members;
    store.builds.save({ ...first!, status: "running", allowFailure: false, retried: false });
    store.builds.save({ ...second!, status: "running", allowFailure: true, retried: false });
    expect(pairs()).toEqual(expect.arrayContaining(["running/false", "running/true"]));
    for (const b of store.builds.listByPipeline(pipelineId)) store.builds.save({ ...b, retried: true });
    expect(pairs()).toEqual([]);
    expect(store.builds.hasCreated(pipelineId)).toBe(false);
    store.builds.save({ ...first!, status: "created", retried: false });
    expect(store.builds.hasCreated(pipelineId)).toBe(true);
  });

  it("lists newest first with limit and offset", () => {
    const ids = store.builds.list({ projectId: 1, statuses: null, limit: 3, offset: 2 }).map((b) => b.id);
    expect(ids).toEqual([6, 5, 4]);
  });

  it("lists and counts no trigger or external job, unscoped, by status or by commit (the list indexes hold none)", () => {
    const template = store.builds.get(1)!;
    const at = "2026-01-01T00:00:00.000Z";
    const listed = () => store.builds.listIds({ projectId: 1, statuses: null, limit: 100, offset: 0 });
    const before = {
      all: listed(),
      count: store.builds.count({ projectId: 1, statuses: null }),
      bySha: store.builds.listIds({ projectId: 1, statuses: null, sha: template.sha, limit: 100, offset: 0 }),
      shaCount: store.builds.count({ projectId: 1, statuses: null, sha: template.sha }),
      pending: store.builds.count({ projectId: 1, statuses: ["pending"] }),
    };
    const trigger = CHILD_TRIGGER;
    store.transaction(() => {
      store.builds.insert({
        ...template,
        id: 900,
        token: "bridge-900",
        status: "pending",
        createdAt: at,
        trigger,
      });
      store.builds.insert({
        ...template,
        id: 901,
        token: "external-901",
        status: "pending",
        createdAt: at,
        external: { targetUrl: null, description: "from elsewhere" },
      });
      store.builds.insert({ ...template, id: 902, token: "job-902", status: "pending", createdAt: at });
    });
    expect(listed()).toEqual([902, ...before.all]);
    expect(store.builds.count({ projectId: 1, statuses: null })).toBe(before.count + 1);
    expect(store.builds.listIds({ projectId: 1, statuses: ["pending"], limit: 100, offset: 0 })[0]).toBe(902);
    expect(store.builds.count({ projectId: 1, statuses: ["pending"] })).toBe(before.pending + 1);
    expect(
      store.builds.listIds({ projectId: 1, statuses: null, sha: template.sha, limit: 100, offset: 0 }),
    ).toEqual([902, ...before.bySha]);
    expect(store.builds.count({ projectId: 1, statuses: null, sha: template.sha })).toBe(before.shaCount + 1);
    expect(store.builds.list({ projectId: 1, statuses: null, limit: 2, offset: 0 }).map((b) => b.id)).toEqual(
      [902, before.all[0]],
    );
  });

  it("saves a status change's own columns and moves its count; a row that moved on is saved whole", () => {
    const stored = store.builds.get(1)!;
    const counts = () => ({
      from: store.builds.count({ projectId: 1, statuses: [stored.status] }),
      to: store.builds.count({ projectId: 1, statuses: ["running"] }),
    });
    const before = counts();
    const next = {
      ...stored,
      status: "running" as const,
      startedAt: "2026-01-01T00:01:00.000Z",
      runnerId: 7,
      allowFailure: !stored.allowFailure,
    };
    store.transaction(() => store.builds.saveTransition(next, stored));
    expect(store.builds.get(1)).toEqual(next);
    expect(counts()).toEqual({ from: before.from - 1, to: before.to + 1 });
    expect(countsByStatus()).toEqual(
      Object.fromEntries(
        Object.keys(countsByStatus()).map((s) => [
          s,
          store.builds.count({ projectId: 1, statuses: [s as never] }),
        ]),
      ),
    );

    // The caller's `stored` is stale (the row is running now): the build is saved whole, counts from the row.
    const finished = {
      ...next,
      status: "success" as const,
      finishedAt: "2026-01-01T00:02:00.000Z",
      coverage: 12.5,
    };
    store.transaction(() => store.builds.saveTransition(finished, stored));
    expect(store.builds.get(1)).toEqual(finished);
    expect(store.builds.count({ projectId: 1, statuses: ["running"] })).toBe(before.to);
  });

  it("round-trips every field of a build", () => {
    const build = store.builds.get(5)!;
    const changed = {
      ...build,
      needs: ["a"],
      dependencies: ["b"],
      variables: [{ key: "K", value: "V", public: false }],
      artifactsOptions: { paths: ["dist/"], when: "always" as const },
      retryWhen: ["script_failure"],
      coverage: 12.5,
      allowFailureExitCodes: [3],
    };
    store.transaction(() => store.builds.save(changed));
    expect(store.builds.get(5)).toEqual(changed);
  });
});
