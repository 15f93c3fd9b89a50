// Local CI's side of the store: a local work tree becomes a project (created once, found again by path on
// later runs), and a shared runner exists for `buildsim run` to run its builds with.

import { ACCESS_LEVELS, type Project, type Runner } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import { protectDefaultBranch } from "./protected-branches.js";

export interface LocalProjectInput {
  /** `local/<dir>`: how the API names the project. */
  pathWithNamespace: string;
  name: string;
  /** Absolute path of the work tree whose files jobs run on. */
  sourceDir: string;
  defaultBranch: string;
  /** Made a master of the project (the admin `buildsim run` acts as). */
  ownerId: number;
}

export interface LocalProjectDeps {
  store: Store;
  now: () => string;
  generateToken: () => string;
}

/** The project for a local work tree: found by path (its source dir refreshed) or created private. */
export function registerLocalProject(
  { store, now, generateToken }: LocalProjectDeps,
  input: LocalProjectInput,
): Project {
  return store.transaction(() => {
    const existing = store.projects.getByPath(input.pathWithNamespace);
    if (existing) {
      if (store.projectSources.get(existing.id) !== input.sourceDir)
        store.projectSources.set(existing.id, input.sourceDir);
      if (existing.defaultBranch === input.defaultBranch) return existing;
      store.projects.setDefaultBranch(existing.id, input.defaultBranch);
      protectDefaultBranch(store, existing.id, input.defaultBranch);
      return { ...existing, defaultBranch: input.defaultBranch };
    }
    const project: Project = {
      id: store.projects.nextId(),
      pathWithNamespace: input.pathWithNamespace,
      name: input.name,
      description: null,
      visibility: "private",
      publicBuilds: true,
      buildsEnabled: true,
      defaultBranch: input.defaultBranch,
      runnersToken: generateToken(),
      members: [{ userId: input.ownerId, accessLevel: ACCESS_LEVELS.master }],
      createdAt: now(),
    };
    store.projects.insert(project);
    store.projects.setMember(project.id, input.ownerId, ACCESS_LEVELS.master);
    store.projectSources.set(project.id, input.sourceDir);
    // GitLab protects a new project's default branch (Maintainers push and merge).
    protectDefaultBranch(store, project.id, input.defaultBranch);
    return project;
  });
}

/** Settings key holding the local runner's token. */
const LOCAL_RUNNER_SETTING = "local_runner_token";

/** The shared, untagged-and-tagged runner `buildsim run` uses; created on first use. */
export function ensureLocalRunner(
  { store, generateToken }: LocalProjectDeps,
  tagList: readonly string[] = [],
): Runner {
  return store.transaction(() => {
    const knownToken = store.settings.get(LOCAL_RUNNER_SETTING);
    const found = knownToken ? store.runners.getByToken(knownToken) : undefined;
    if (found) {
      const tags = [...new Set([...found.tagList, ...tagList])].sort();
      if (tags.length === found.tagList.length) return found;
      const updated = { ...found, tagList: tags };
      store.runners.save(updated);
      return updated;
    }
    const runner: Runner = {
      id: store.runners.nextId(),
      token: generateToken(),
      description: "buildsim run (local)",
      active: true,
      isShared: true,
      name: "buildsim-runner",
      tagList: [...tagList].sort(),
      runUntagged: true,
      locked: false,
      version: null,
      revision: null,
      platform: null,
      architecture: null,
      contactedAt: null,
      projectIds: [],
    };
    store.runners.insert(runner);
    store.settings.set(LOCAL_RUNNER_SETTING, runner.token);
    return runner;
  });
}
