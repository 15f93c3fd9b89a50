// A local project and a commit to create pipelines for, shared by the pipeline-creation tests.

import type { Commit, Project } from "@buildsim/core";

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
