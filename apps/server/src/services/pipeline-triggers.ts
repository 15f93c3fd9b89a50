// Trigger tokens and the pipelines they run: creating and changing tokens, and `PipelineTriggerService`'s
// choice between a trigger token (source `trigger`, as its owner) and a running job's CI job token (a
// multi-project pipeline, source `pipeline`, as the job's user).

import { type Pipeline, type PipelineTrigger, TRIGGER_TOKEN_PREFIX, type User } from "@buildsim/core";
import type { App } from "../app.js";
import { canAdminProject, canReadProject } from "../auth/abilities.js";
import { jobUser } from "./job-user.js";
import { createPipelineFromRef, type PipelineFromRefDeps } from "./pipeline-from-ref.js";

/** `admin_trigger` (Ci::TriggerPolicy): Maintainers manage tokens, but only the owner may change one. */
export function canAdminTrigger(user: User, trigger: PipelineTrigger, app: Pick<App, "store">): boolean {
  const project = app.store.projects.get(trigger.projectId);
  return project !== undefined && canAdminProject(user, project) && trigger.ownerId === user.id;
}

/** What writing a trigger token needs of the wiring. */
export type TriggerTokenDeps = Pick<App, "store" | "now" | "generateToken">;

/** A new token for `owner`, written as GitLab writes them (`glptt-…`). */
export function createTrigger(
  app: TriggerTokenDeps,
  projectId: number,
  owner: User,
  description: string,
): PipelineTrigger {
  const at = app.now();
  return app.store.transaction(() =>
    app.store.pipelineTriggers.insert({
      projectId,
      token: `${TRIGGER_TOKEN_PREFIX}${app.generateToken()}`,
      description,
      ownerId: owner.id,
      createdAt: at,
      updatedAt: at,
    }),
  );
}

/** Saves a new description (GitLab's UpdateService changes nothing else). */
export function updateTrigger(
  app: Pick<App, "store" | "now">,
  trigger: PipelineTrigger,
  description: string | undefined,
): PipelineTrigger {
  if (description === undefined) return trigger;
  const next = { ...trigger, description, updatedAt: app.now() };
  app.store.transaction(() => app.store.pipelineTriggers.update(next));
  return next;
}

export function deleteTrigger(app: Pick<App, "store">, trigger: PipelineTrigger): void {
  app.store.transaction(() => app.store.pipelineTriggers.delete(trigger.id));
}

/** What `POST /projects/:id/trigger/pipeline` needs once its params are valid. */
export interface TriggerPipelineInput {
  projectId: number;
  token: string;
  ref: string;
  variables: Record<string, string>;
  /** The request's params but the token, as JSON: the pipeline's `TRIGGER_PAYLOAD`. */
  payload: string;
}

/** `PipelineTriggerService::PAYLOAD_VARIABLE_KEY`. */
export const TRIGGER_PAYLOAD_KEY = "TRIGGER_PAYLOAD";

/**
 * `param_variables + [payload_variable]`: the request's variables, then `TRIGGER_PAYLOAD`, a file variable
 * never expanded (`raw`, gitlab-org/gitlab!146242) so a webhook body's `$X` cannot read project secrets.
 */
function pipelineVariablesOf(input: TriggerPipelineInput) {
  const variables = { ...input.variables };
  // The payload is last: a request variable of the same name does not replace it.
  delete variables[TRIGGER_PAYLOAD_KEY];
  variables[TRIGGER_PAYLOAD_KEY] = input.payload;
  return { variables, variableOptions: { [TRIGGER_PAYLOAD_KEY]: { file: true, raw: true } } };
}

/**
 * The outcome: a pipeline; `not_found` when the token is no trigger of this project and no job token
 * whose user may read it (GitLab never says which, not to leak the project); `job_not_running` for the
 * token of a job that is not running (GitLab's `Ci::AuthJobFinder`, 401); or the creation's errors.
 */
export type TriggerPipelineResult =
  | { kind: "created"; pipeline: Pipeline }
  | { kind: "not_found" }
  | { kind: "job_not_running" }
  | { kind: "invalid"; errors: string[] };

/** `Ci::PipelineTriggerService#execute`. */
export function triggerPipeline(
  app: PipelineFromRefDeps,
  input: TriggerPipelineInput,
): TriggerPipelineResult {
  const project = app.store.projects.get(input.projectId);
  if (!project) return { kind: "not_found" };
  const trigger = app.store.pipelineTriggers.getByToken(input.token);
  if (trigger) {
    const owner = app.store.users.get(trigger.ownerId);
    if (trigger.projectId !== project.id || !owner) return { kind: "not_found" };
    return app.store.transaction(() => {
      const result = createPipelineFromRef(app, {
        project,
        user: owner,
        ref: input.ref,
        source: "trigger",
        ...pipelineVariablesOf(input),
      });
      if (!result.created) return { kind: "invalid" as const, errors: result.errors };
      app.store.pipelineTriggers.linkPipeline(result.pipeline.id, trigger.id);
      return { kind: "created" as const, pipeline: result.pipeline };
    });
  }
  const job = input.token ? app.store.builds.getByToken(input.token) : undefined;
  if (!job) return { kind: "not_found" };
  if (job.status !== "running") return { kind: "job_not_running" };
  const user = jobUser(app.store, job);
  if (!user || !canReadProject(user, project)) return { kind: "not_found" };
  const result = createPipelineFromRef(app, {
    project,
    user,
    ref: input.ref,
    source: "pipeline",
    ...pipelineVariablesOf(input),
    upstream: { jobId: job.id, pipelineId: job.pipelineId },
  });
  return result.created
    ? { kind: "created", pipeline: result.pipeline }
    : { kind: "invalid", errors: result.errors };
}
