// The change log's part in a cluster: it tells what each commit changed, and applies another server's
// change to exactly the records named, without telling it on.

import { describe, expect, it } from "vitest";
import { ChangeLog, type CommittedChange } from "./change-log.js";

const build = (id: number, pipelineId = 10) => ({ id, projectId: 1, pipelineId });

describe("the change log in a cluster", () => {
  it("tells listeners what a commit described, each record once", () => {
    const log = new ChangeLog();
    const told: CommittedChange[] = [];
    log.onCommitted((c) => told.push(c));
    log.begin();
    log.buildChanged(1, build(5), { from: "pending", to: "running", listed: true });
    log.buildRowChanged(1, 5);
    log.runnerContacted(1, 3);
    log.commit(3);
    expect(told).toEqual([
      {
        builds: [5],
        pipelineRows: [],
        members: [10],
        lists: [
          [1, "pending"],
          [1, "running"],
        ],
        runners: [],
        contacts: [3],
      },
    ]);
  });

  it("tells a commit that wrote rows nobody described as global, and an empty commit not at all", () => {
    const log = new ChangeLog();
    const told: CommittedChange[] = [];
    log.onCommitted((c) => told.push(c));
    log.begin();
    log.commit(0);
    log.begin();
    log.buildRowChanged(1, 5);
    log.commit(2);
    expect(told).toEqual([{ global: true }]);
  });

  it("applies another server's change to the records it names only, and never tells it on", () => {
    const log = new ChangeLog();
    const told: CommittedChange[] = [];
    log.onCommitted((c) => told.push(c));
    const before = { b5: log.build(5), b6: log.build(6), global: log.global };
    log.applyRemote({ builds: [5], pipelineRows: [], members: [], lists: [], runners: [], contacts: [] });
    expect(log.build(5)).not.toBe(before.b5);
    expect(log.build(6)).toBe(before.b6);
    expect(log.global).toBe(before.global);
    log.applyRemote({ global: true });
    expect(log.global).not.toBe(before.global);
    expect(log.remoteApplied).toBe(2);
    expect(told).toEqual([]);
  });

  it("leaves an open transaction's own changes pending while it applies another server's", () => {
    const log = new ChangeLog();
    log.begin();
    log.buildRowChanged(1, 7);
    log.applyRemote({ global: true });
    const remoteGlobal = log.global;
    log.commit(1);
    // The local change still lands on commit: build 7 moved after the remote global change.
    expect(log.build(7)).toBeGreaterThan(remoteGlobal);
  });

  it("moves only a pipeline's job list when one of its builds becomes retried, no build's entity", () => {
    const log = new ChangeLog();
    const told: CommittedChange[] = [];
    log.onCommitted((c) => told.push(c));
    const [entity, members, global] = [log.build(5), log.pipelineMembers(10), log.global];
    log.begin();
    log.membersChanged(1, 10);
    log.commit(1);
    expect(log.build(5)).toBe(entity);
    expect(log.pipelineMembers(10)).not.toBe(members);
    expect(log.global).toBe(global);
    expect(told).toEqual([
      { builds: [], pipelineRows: [], members: [10], lists: [], runners: [], contacts: [] },
    ]);
  });

  it("replays list moves since a version while it keeps them, and says when it no longer does", () => {
    const log = new ChangeLog();
    const start = log.version;
    log.buildChanged(1, build(5), { from: null, to: "pending", listed: true });
    log.buildChanged(1, build(6), { from: null, to: "pending", listed: false });
    log.begin();
    log.buildChanged(1, build(5), { from: "pending", to: "running", listed: true });
    log.rollback();
    expect(log.listMovesSince(start)).toEqual([
      { seq: start + 1, projectId: 1, id: 5, from: null, to: "pending" },
    ]);
    // Thousands of moves later the first ones are gone: a window of `start` must list again.
    for (let i = 0; i < 10_000; i++)
      log.buildChanged(1, build(7), { from: "pending", to: "running", listed: true });
    expect(log.listMovesSince(start)).toBeNull();
    expect(log.listMovesSince(log.version - 1)).toHaveLength(1);
    expect(log.listMovesSince(log.version)).toEqual([]);
  });
});
