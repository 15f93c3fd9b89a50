// A local project and a commit to create pipelines for, shared by the pipeline-creation tests, and the
// builds and store the processing tests start from.

import { type Build, type Commit, newBuild, type Project } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import { createTestStore } from "./test-store.js";

export const FIXTURE_SHA = "a".repeat(40);

/** Project 1, `local/demo`, private with public pipelines, no members. */
export const LOCAL_PROJECT: Project = {
  id: 1,
  pathWithNamespace: "local/demo",
  name: "demo",
  description: null,
  visibility: "private",
  publicBuilds: true,
  buildsEnabled: true,
  defaultBranch: "main",
  runnersToken: "runners-secret",
  members: [],
  createdAt: "2026-01-01T00:00:00.000Z",
};

/** The commit `FIXTURE_SHA` of project 1. */
export const LOCAL_COMMIT: Commit = {
  projectId: 1,
  sha: FIXTURE_SHA,
  message: "Add CI\n",
  authorName: "Ada",
  authorEmail: "ada@example.com",
  authoredDate: "2026-01-01T01:00:00.000+01:00",
  committerName: "Ada",
  committerEmail: "ada@example.com",
  committedDate: "2026-01-01T01:00:00.000+01:00",
  parentIds: [],
};

/** A test store (SQLite or PostgreSQL, test-store.ts) holding {@link LOCAL_PROJECT} and {@link LOCAL_COMMIT}. */
export function storeWithLocalProject(): Store {
  const store = createTestStore();
  store.transaction(() => {
    store.projects.insert(LOCAL_PROJECT);
    store.commits.insert(LOCAL_COMMIT);
  });
  return store;
}

/** A `created` build of project 1 at {@link FIXTURE_SHA}, token `t-<id>` unless given. */
export function localBuild(fields: Pick<Build, "id" | "pipelineId" | "name"> & Partial<Build>): Build {
  return newBuild({
    projectId: 1,
    ref: "main",
    sha: FIXTURE_SHA,
    token: `t-${fields.id}`,
    createdAt: "2026-01-02T00:00:00.000Z",
    ...fields,
  });
}
