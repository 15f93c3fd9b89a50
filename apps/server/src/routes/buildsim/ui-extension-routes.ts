// buildsim's own read endpoints for what GitLab's REST API does not carry and its web UI and `buildsim run`
// show (GitLab reads these through GraphQL): a pipeline's `needs` graph, its jobs as the board shows them,
// and the variables a job saw.
//
//   GET /-/buildsim/api/projects/:id/pipelines/:pipeline_id/needs  → [{id, name, stage, needs}]
//   GET /-/buildsim/api/projects/:id/pipelines/:pipeline_id/jobs   → {id, project_id, status, jobs}
//   GET /-/buildsim/api/projects/:id/jobs/:job_id/variables        → [{key, value, masked}]
//
// Same auth and errors as the v4 API: needs and jobs as the pipeline's jobs (anonymous for public jobs); variables
// need `update_build` (Developer), and a masked (non-public) variable's value is never sent.

import {
  type Build,
  type JobNeedsEntity,
  JobNeedsEntitySchema,
  type JobVariableEntity,
  JobVariableEntitySchema,
  type Pipeline,
  type PipelineJobEntity,
  PipelineJobsEntitySchema,
} from "@buildsim/core";
import { Type } from "@sinclair/typebox";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { json } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import { buildJobPayload } from "../../services/job-payload.js";
import { type AccessDeps, integerRouteParam } from "../access.js";
import type { RouteHandler } from "../route-handler.js";
import { callerOf, findJob, findProjectV4, requireReadJobs, requireUpdateJobs } from "../v4/v4-access.js";

/** Where the extension endpoints live. */
export const BUILDSIM_API_PREFIX = "/-/buildsim/api";

/** The route's pipeline, when the caller may read its jobs. */
function readablePipeline(ctx: RequestContext, app: AccessDeps): Pipeline {
  const caller = callerOf(ctx, app, true);
  const pipelineId = integerRouteParam(ctx, "pipeline_id");
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  const pipeline = app.store.pipelines.get(pipelineId);
  if (!pipeline || pipeline.projectId !== project.id) throw ApiError.of("RECORD_NOT_FOUND");
  return pipeline;
}

function pipelineNeeds(ctx: RequestContext, app: AccessDeps): Reply {
  const pipeline = readablePipeline(ctx, app);
  const entries: JobNeedsEntity[] = app.store.builds
    .listByPipeline(pipeline.id)
    .map((b: Build) => ({ id: b.id, name: b.name, stage: b.stage, needs: b.needs }));
  return jsonReply(200, entries);
}

// The pipeline's status and its jobs come from one synchronous read: a client never sees a job finished
// in a pipeline whose status does not count it yet.
function pipelineJobs(ctx: RequestContext, app: AccessDeps): Reply {
  const pipeline = readablePipeline(ctx, app);
  const jobs = app.store.builds.listByPipeline(pipeline.id).map((b: Build): PipelineJobEntity => {
    const downstream = b.trigger ? app.store.pipelines.downstreamOf(b.id) : undefined;
    return {
      id: b.id,
      name: b.name,
      stage: b.stage,
      stage_idx: b.stageIdx,
      status: b.status,
      when: b.when,
      allow_failure: b.allowFailure,
      retried: b.retried,
      started_at: b.startedAt,
      finished_at: b.finishedAt,
      scheduled_at: b.scheduledAt,
      trace_size: b.trace.bytes,
      trigger: b.trigger !== null,
      downstream_pipeline: downstream ? { id: downstream.id, project_id: downstream.projectId } : null,
    };
  });
  return jsonReply(200, { id: pipeline.id, project_id: pipeline.projectId, status: pipeline.status, jobs });
}

function jobVariables(ctx: RequestContext, app: AccessDeps & Pick<App, "webUrl">): Reply {
  const caller = callerOf(ctx, app);
  const jobId = integerRouteParam(ctx, "job_id");
  const project = findProjectV4(ctx, app, caller);
  requireUpdateJobs(caller, project);
  const build = findJob(app, project, jobId);
  const runner = build.runnerId === null ? undefined : app.store.runners.get(build.runnerId);
  // A job that ran saw the whole payload (predefined, YAML, dotenv, pipeline); one that did not, its own.
  const seen = runner
    ? buildJobPayload(build, runner, { store: app.store, serverUrl: app.webUrl() }).variables
    : build.variables;
  const entries: JobVariableEntity[] = seen.map((v) => ({
    key: v.key,
    value: v.public ? v.value : null,
    masked: !v.public,
  }));
  return jsonReply(200, entries);
}

/** Adds the extension endpoints. */
export function addUiExtensionRoutes(router: Router<RouteHandler>): void {
  router
    .add("GET", `${BUILDSIM_API_PREFIX}/projects/:id/pipelines/:pipeline_id/needs`, pipelineNeeds, {
      summary: "A pipeline's jobs with their `needs` (the UI's graph)",
      api: "buildsim",
      responses: { 200: json("The jobs", Type.Array(JobNeedsEntitySchema)) },
    })
    .add("GET", `${BUILDSIM_API_PREFIX}/projects/:id/pipelines/:pipeline_id/jobs`, pipelineJobs, {
      summary: "A pipeline's status and every job with its stage place, `when` and downstream pipeline",
      api: "buildsim",
      responses: { 200: json("The pipeline and its jobs", PipelineJobsEntitySchema) },
    })
    .add("GET", `${BUILDSIM_API_PREFIX}/projects/:id/jobs/:job_id/variables`, jobVariables, {
      summary: "The variables a job saw (masked ones without their value)",
      api: "buildsim",
      responses: { 200: json("The variables", Type.Array(JobVariableEntitySchema)) },
    });
}
