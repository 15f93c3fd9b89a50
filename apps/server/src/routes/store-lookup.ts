// The store-backed lookups routes hand to presenters: each record read at most once per render, so a
// page of builds sharing a pipeline, user or runner reads it once.

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
