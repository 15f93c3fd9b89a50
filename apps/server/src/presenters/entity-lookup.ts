// Loads the records a build entity embeds (user, commit, runner, pipeline), each once per render.

import type { Commit, Pipeline, Runner, User } from "@buildsim/core";
import type { Store } from "../store/create-store.js";

/** Memoized reads for one render pass. */
export interface EntityLookup {
  user(id: number | null): User | undefined;
  commit(projectId: number, sha: string): Commit | undefined;
  runner(id: number | null): Runner | undefined;
  pipeline(id: number): Pipeline | undefined;
}

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
