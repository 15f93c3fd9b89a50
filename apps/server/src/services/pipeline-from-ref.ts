// A pipeline from a local project's `.gitlab-ci.yml` as of a ref, with GitLab's reasons for refusing one
// (`Ci::CreatePipelineService`'s chain): shared by `POST /projects/:id/pipeline` and the trigger API.

import type { Pipeline, Project, User } from "@buildsim/core";
import type { App } from "../app.js";
import { canUpdateBuild } from "../auth/abilities.js";
import { createLocalIncludeSources } from "./local-include-sources.js";
import { checkoutProject } from "./pipeline-files.js";
import { isProtectedRefFor } from "./protected-branches.js";

export interface PipelineFromRefInput {
  project: Project;
  /** Who the pipeline runs as (the caller, a trigger's owner, a job's user). */
  user: User;
  ref: string;
  /** `CI_PIPELINE_SOURCE`: api, trigger, pipeline… */
  source: string;
  variables: Record<string, string>;
  /** File and raw flags of some of `variables` (`TRIGGER_PAYLOAD`). */
  variableOptions?: Readonly<Record<string, { file?: boolean; raw?: boolean }>>;
  /** The job whose token created this multi-project pipeline, and that job's pipeline. */
  upstream?: { jobId: number; pipelineId: number };
}

/** What creating a pipeline from a ref needs of the wiring. */
export type PipelineFromRefDeps = Pick<App, "store" | "createPipeline" | "ciTemplatesDir">;

/** The pipeline, or the `base` errors GitLab answers with in a 400 `{"message":{"base":[…]}}`. */
export type PipelineFromRefResult =
  | { created: true; pipeline: Pipeline }
  | { created: false; errors: string[] };

/** Creates the pipeline for `input.ref` of the project's local repository. */
export function createPipelineFromRef(
  app: PipelineFromRefDeps,
  input: PipelineFromRefInput,
): PipelineFromRefResult {
  const { project, user, ref } = input;
  // `Chain::Validate::Abilities`: `create_pipeline` is Developer and above.
  if (!canUpdateBuild(user, project))
    return { created: false, errors: ["Insufficient permissions to create a new pipeline"] };
  const checkout = checkoutProject(app.store, project, ref);
  if (!checkout.ok) return { created: false, errors: [checkout.error] };
  const { commit, tag, files } = checkout;
  if (isProtectedRefFor(user, project, app.store, { ref, tag }))
    return { created: false, errors: ["Insufficient permissions for protected ref"] };
  if (files.readFile(".gitlab-ci.yml") === undefined)
    return { created: false, errors: ["Missing CI config file"] };
  const result = app.createPipeline({
    project,
    commit,
    ref,
    tag,
    beforeSha: commit.parentIds[0] ?? null,
    source: input.source,
    userId: user.id,
    variables: input.variables,
    ...(input.variableOptions ? { variableOptions: input.variableOptions } : {}),
    ...files,
    includeSources: createLocalIncludeSources(app.store, app.ciTemplatesDir),
    ...(input.upstream
      ? { upstream: { bridgeId: input.upstream.jobId, pipelineId: input.upstream.pipelineId } }
      : {}),
  });
  if (!result.created) return { created: false, errors: result.errors };
  return { created: true, pipeline: result.pipeline };
}
