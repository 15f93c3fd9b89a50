// The store-backed lookups routes hand to presenters: each record read at most once per render, so a
// page of builds sharing a pipeline, user or runner reads it once; the read cache's renders share one
// lookup that keeps records across requests while the change log says they are unchanged.

import type { Commit, Pipeline, Project, Runner, User } from "@buildsim/core";
import type { EntityLookup } from "../presenters/entity-lookup.js";
import type { EntityLookupV4 } from "../presenters/present-entities-v4.js";
import type { Store } from "../store/create-store.js";

/** A lookup over `store` that reads each record at most once. */
export function createEntityLookup(store: Store): EntityLookup {
  const users = new Map<number, User | undefined>();
  const commits = new Map<string, Commit | undefined>();
  const runners = new Map<number, Runner | undefined>();
  const pipelines = new Map<number, Pipeline | undefined>();
  const memo = <K, V>(map: Map<K, V>, key: K, load: () => V): V => {
    if (map.has(key)) return map.get(key) as V;
    const v = load();
    map.set(key, v);
    return v;
  };
  return {
    user: (id) => (id === null ? undefined : memo(users, id, () => store.users.get(id))),
    commit: (projectId, sha) => memo(commits, `${projectId}:${sha}`, () => store.commits.get(projectId, sha)),
    runner: (id) => (id === null ? undefined : memo(runners, id, () => store.runners.get(id))),
    pipeline: (id) => memo(pipelines, id, () => store.pipelines.get(id)),
  };
}

/** A memoized v4 lookup over `store`. */
export function createEntityLookupV4(store: Store): EntityLookupV4 {
  const base = createEntityLookup(store);
  const projects = new Map<number, Project | undefined>();
  const iids = new Map<number, number>();
  return {
    ...base,
    project(id) {
      if (!projects.has(id)) projects.set(id, store.projects.get(id));
      return projects.get(id);
    },
    testReportFile: (buildId) => store.testReports.file(buildId),
    pipelineIid(pipeline) {
      let iid = iids.get(pipeline.id);
      if (iid === undefined) {
        iid = store.pipelines.iidOf(pipeline);
        iids.set(pipeline.id, iid);
      }
      return iid;
    },
  };
}

/** How many records of one kind the shared lookup keeps before it starts that kind over. */
const SHARED_MAX_ENTRIES = 10_000;

/** Per-record values, each kept with the generations it was read at (a second one where two matter). */
class GenMemo<K, V> {
  private readonly entries = new Map<K, { gen: number; gen2: number; value: V }>();
  get(key: K, gen: number, load: () => V, gen2 = 0): V {
    const hit = this.entries.get(key);
    if (hit && hit.gen === gen && hit.gen2 === gen2) return hit.value;
    const value = load();
    if (this.entries.size >= SHARED_MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { gen, gen2, value });
    return value;
  }
  clear(): void {
    this.entries.clear();
  }
}

const shared = new WeakMap<Store, EntityLookupV4>();

/**
 * A v4 (and v3) lookup shared by every cached render of `store`: each record is read once and kept
 * while the change log says it is unchanged — a pipeline until its row is written, a runner until what
 * entities show of it (or its contact) moves, and users, projects, commits and test reports until a
 * global change (the repositories describe no write to those tables, so every write to them is one).
 * Re-rendering what a write changed then reads the build's row and little else.
 */
export function sharedEntityLookupV4(store: Store): EntityLookupV4 {
  const existing = shared.get(store);
  if (existing) return existing;
  const changes = store.changes;
  let global = -1;
  const users = new GenMemo<number, User | undefined>();
  const projects = new GenMemo<number, Project | undefined>();
  const commits = new GenMemo<string, Commit | undefined>();
  const reports = new GenMemo<number, { filename: string; size: number } | undefined>();
  const pipelines = new GenMemo<number, Pipeline | undefined>();
  const iids = new GenMemo<number, number>();
  const runners = new GenMemo<number, Runner | undefined>();
  /** The global generation, every memo started over when it moved. */
  const now = (): number => {
    if (changes.global !== global) {
      for (const m of [users, projects, commits, reports, pipelines, iids, runners]) m.clear();
      global = changes.global;
    }
    return global;
  };
  const lookup: EntityLookupV4 = {
    user: (id) => (id === null ? undefined : users.get(id, now(), () => store.users.get(id))),
    commit: (projectId, sha) =>
      commits.get(`${projectId}:${sha}`, now(), () => store.commits.get(projectId, sha)),
    runner(id) {
      if (id === null) return undefined;
      now();
      // Both must hold: what entities show of it, and its last contact (its online state).
      const read = () => store.runners.get(id);
      return runners.get(id, changes.runner(id), read, changes.runnerContact(id));
    },
    pipeline: (id) => {
      now();
      return pipelines.get(id, changes.pipelineRow(id), () => store.pipelines.get(id));
    },
    project: (id) => projects.get(id, now(), () => store.projects.get(id)),
    testReportFile: (buildId) => reports.get(buildId, now(), () => store.testReports.file(buildId)),
    // A pipeline's iid is given once, when it is inserted.
    pipelineIid: (pipeline) => iids.get(pipeline.id, now(), () => store.pipelines.iidOf(pipeline)),
  };
  shared.set(store, lookup);
  return lookup;
}
