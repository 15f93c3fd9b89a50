// External CI tools' commit statuses (GitLab's `Ci::CreateCommitStatusService`): each is a job of the
// `external` stage in the newest pipeline of its commit and ref (a new `external` pipeline when there is
// none), moved through the same build machine as every job, so it counts in the pipeline's status.

import {
  type Build,
  type BuildEvent,
  newBuild,
  newPipeline,
  type Pipeline,
  type Project,
  type User,
} from "@buildsim/core";
import type { App } from "../app.js";
import { canUpdateBuild } from "../auth/abilities.js";
import { createGitSource } from "./git-source.js";
import { isProtectedRefFor } from "./protected-branches.js";

/** What a commit status needs of the wiring. */
export type CommitStatusDeps = Pick<App, "store" | "now" | "generateToken" | "transitions">;

/** `GenericCommitStatus::EXTERNAL_STAGE_IDX`: after every stage a CI file can have. */
export const EXTERNAL_STAGE_IDX = 1_000_000;

/** The states `POST /projects/:id/statuses/:sha` takes. */
export const COMMIT_STATUS_STATES = [
  "pending",
  "running",
  "success",
  "failed",
  "canceled",
  "skipped",
] as const;
export type CommitStatusState = (typeof COMMIT_STATUS_STATES)[number];

export interface CommitStatusInput {
  project: Project;
  user: User;
  sha: string;
  state: CommitStatusState;
  ref?: string;
  /** `name` or `context`; GitLab's default is `default`. */
  name: string;
  targetUrl?: string;
  description?: string;
  coverage?: number;
  pipelineId?: number;
}

/** What the API answers: the job, or GitLab's error (its status and body as `render_api_error!` writes it). */
export type CommitStatusResult =
  | { kind: "saved"; build: Build }
  | { kind: "error"; status: 400 | 403 | 404; message: string | Record<string, string[]> };

const invalid = (field: string, text: string): CommitStatusResult => ({
  kind: "error",
  status: 400,
  message: { [field]: [text] },
});
const notFound = (what: string): CommitStatusResult => ({
  kind: "error",
  status: 404,
  message: `404 ${what} Not Found`,
});

/** The events each state fires, in order (`apply_job_state!`): `running` enqueues first, quietly. */
const EVENTS: Record<CommitStatusState, Array<{ type: BuildEvent["type"]; quiet?: boolean }>> = {
  pending: [{ type: "enqueue" }],
  running: [{ type: "enqueue", quiet: true }, { type: "run" }],
  success: [{ type: "success" }],
  failed: [{ type: "drop" }],
  canceled: [{ type: "cancel" }],
  skipped: [{ type: "skip" }],
};

function eventOf(type: BuildEvent["type"], at: string): BuildEvent {
  if (type === "run") return { type, at, runnerId: null };
  if (type === "drop") return { type, at, reason: "api_failure" };
  return { type, at } as BuildEvent;
}

/** The commit, from the store or (for a local project) its repository. */
function findCommit(app: CommitStatusDeps, project: Project, sha: string): boolean {
  if (app.store.commits.get(project.id, sha)) return true;
  const dir = app.store.projectSources.get(project.id);
  if (!dir) return false;
  const git = createGitSource(dir);
  const resolved = git.resolve(sha);
  if (!resolved || resolved.sha !== sha) return false;
  app.store.commits.insert(git.commit(project.id, sha));
  return true;
}

/** `repository.branch_names_contains(sha).first`, for local projects. */
function branchContaining(app: CommitStatusDeps, project: Project, sha: string): string | undefined {
  const dir = app.store.projectSources.get(project.id);
  return dir ? createGitSource(dir).branchesContaining(sha)[0] : undefined;
}

/** A `http`/`https` URL, as GitLab's `public_url` validation of `target_url` wants. */
const isWebUrl = (url: string) => {
  try {
    return ["http:", "https:"].includes(new URL(url).protocol);
  } catch {
    return false;
  }
};

/** Creates or moves the status named `input.name` for the commit; see {@link CommitStatusResult}. */
export function saveCommitStatus(app: CommitStatusDeps, input: CommitStatusInput): CommitStatusResult {
  const { project, user, sha } = input;
  return app.store.transaction(() => {
    if (!findCommit(app, project, sha)) return notFound("Commit");
    const [newest] = app.store.pipelines
      .list(
        {
          projectId: project.id,
          statuses: null,
          sha,
          ...(input.ref !== undefined ? { ref: input.ref } : {}),
          orderBy: "id",
          descending: true,
        },
        input.pipelineId === undefined ? 1 : Number.MAX_SAFE_INTEGER,
        0,
      )
      .filter((p) => input.pipelineId === undefined || p.id === input.pipelineId);
    const ref = input.ref ?? newest?.ref ?? branchContaining(app, project, sha);
    if (ref === undefined) return notFound("References for commit");
    if (input.pipelineId !== undefined && !newest) return notFound("Pipeline for pipeline_id, sha and ref");
    // `update_pipeline`: Developers, and only on refs they may update.
    if (
      !canUpdateBuild(user, project) ||
      isProtectedRefFor(user, project, app.store, { ref, tag: newest?.tag ?? false })
    )
      return { kind: "error", status: 403, message: "403 Forbidden" };
    if (input.targetUrl !== undefined && !isWebUrl(input.targetUrl))
      return invalid("target_url", "is blocked: Only allowed schemes are http, https");
    const pipeline = newest ?? createExternalPipeline(app, project, user, sha, ref);
    const jobs = app.store.builds.listByPipeline(pipeline.id);
    const open = jobs.find(
      (b) =>
        b.external !== null &&
        (b.status === "pending" || b.status === "running") &&
        b.ref === ref &&
        b.name === input.name &&
        b.userId === user.id,
    );
    const details = {
      ...(input.targetUrl !== undefined ? { targetUrl: input.targetUrl } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
    };
    let build: Build;
    if (open) {
      build = {
        ...open,
        external: { targetUrl: null, description: null, ...open.external, ...details },
        coverage: input.coverage ?? open.coverage,
      };
      // Stored before the events: a status change writes only what the build machine changes.
      app.store.builds.save(build);
    } else {
      // `validates :name, uniqueness` within the pipeline: a CI job of that name is not this status.
      if (jobs.some((b) => b.external === null && !b.retried && b.name === input.name))
        return invalid("name", "has already been taken");
      build = addExternalJob(app, pipeline, input, ref, details);
    }
    const at = app.now();
    for (const step of EVENTS[input.state]) {
      const next = app.transitions.fire(build, eventOf(step.type, at));
      if (next === build && !step.quiet) {
        // `state_machines`' InvalidTransition, as the API renders it; the transaction is rolled back.
        throw new TransitionRefused(step.type, build.status);
      }
      build = next;
    }
    return { kind: "saved", build: app.store.builds.get(build.id) ?? build };
  });
}

/** Thrown inside the transaction so nothing of a refused update is kept. */
export class TransitionRefused extends Error {
  constructor(
    readonly event: string,
    readonly from: string,
  ) {
    super(
      `Cannot transition status via :${event} from :${from} (Reason(s): Status cannot transition via "${event}")`,
    );
    this.name = "TransitionRefused";
  }
}

function createExternalPipeline(
  app: CommitStatusDeps,
  project: Project,
  user: User,
  sha: string,
  ref: string,
): Pipeline {
  const at = app.now();
  const pipeline = newPipeline({
    id: app.store.pipelines.nextId(),
    projectId: project.id,
    sha,
    ref,
    source: "external",
    userId: user.id,
    createdAt: at,
  });
  app.store.pipelines.insert(pipeline);
  return pipeline;
}

/** A new `created` status job; older jobs of the same name in the pipeline become retried. */
function addExternalJob(
  app: CommitStatusDeps,
  pipeline: Pipeline,
  input: CommitStatusInput,
  ref: string,
  details: { targetUrl?: string; description?: string },
): Build {
  for (const older of app.store.builds.listByPipeline(pipeline.id))
    if (older.name === input.name && !older.retried) app.transitions.markRetried(older);
  const build = newBuild({
    id: app.store.builds.nextId(),
    projectId: pipeline.projectId,
    pipelineId: pipeline.id,
    name: input.name,
    stage: "external",
    stageIdx: EXTERNAL_STAGE_IDX,
    ref,
    tag: pipeline.tag,
    sha: pipeline.sha,
    token: app.generateToken(),
    createdAt: app.now(),
    userId: input.user.id,
    commands: [],
    coverage: input.coverage ?? null,
    external: { targetUrl: details.targetUrl ?? null, description: details.description ?? null },
  });
  app.store.builds.insert(build);
  app.transitions.announce(build);
  return build;
}
