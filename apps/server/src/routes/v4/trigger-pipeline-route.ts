// `POST /projects/:id/trigger/pipeline` and `POST /projects/:id/ref/:ref/trigger/pipeline`: run a pipeline
// with a trigger token (source `trigger`) or a running job's CI job token (source `pipeline`), no user
// token needed. Validation, order and words are GitLab 17.0's lib/api/ci/triggers.rb;
// https://docs.gitlab.com/17.0/ee/api/pipeline_triggers.html#trigger-a-pipeline-with-a-token

import { ApiError } from "../../http/api-error.js";
import type { ParamValue } from "../../http/parse-query.js";
import { bodyParams, jsonBodyObject } from "../../http/read-body.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentPipelineV4 } from "../../presenters/present-pipeline-v4.js";
import type { PipelineFromRefDeps } from "../../services/pipeline-from-ref.js";
import { triggerPipeline } from "../../services/pipeline-triggers.js";
import { type AccessDeps, lookupProject } from "../access.js";
import { type PresentV4Deps, presentOptionsV4 } from "./job-reply.js";

/** The params as Grape checks them (`requires :ref, allow_blank: false`, `requires :token`, `variables` a Hash). */
function validParams(ctx: RequestContext): { ref: string; token: string; variables: ParamValue | undefined } {
  const ref = ctx.route.ref ?? ctx.params.ref;
  const token = ctx.params.token;
  const variables = ctx.params.variables;
  const problems: string[] = [];
  if (ref === undefined) problems.push("ref is missing");
  else if (typeof ref !== "string") problems.push("ref is invalid");
  else if (ref.trim() === "") problems.push("ref is empty");
  if (token === undefined) problems.push("token is missing");
  else if (typeof token !== "string") problems.push("token is invalid");
  if (variables !== undefined && (typeof variables !== "object" || Array.isArray(variables)))
    problems.push("variables is invalid");
  if (problems.length > 0) throw ApiError.invalidParam(problems.join(", "));
  return { ref: ref as string, token: token as string, variables };
}

/**
 * Every key and value a string, or GitLab's 400: nested hashes and arrays are not, nor are a JSON body's
 * numbers, booleans and nulls (params hold them as strings or leave them out, so they are read as sent).
 */
function stringMap(ctx: RequestContext, variables: ParamValue | undefined): Record<string, string> {
  const json = jsonBodyObject(ctx.body, ctx.headers["content-type"]);
  const sent = json && Object.hasOwn(json, "variables") ? json.variables : undefined;
  if (sent && typeof sent === "object" && Object.values(sent).some((v) => typeof v !== "string"))
    throw ApiError.rendered(400, "variables needs to be a map of key-valued strings");
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(variables ?? {})) {
    if (typeof value !== "string")
      throw ApiError.rendered(400, "variables needs to be a map of key-valued strings");
    out[key] = value;
  }
  return out;
}

/**
 * `TRIGGER_PAYLOAD`'s content: Grape's params as the endpoint leaves them, but the token
 * (`params.except(:token).to_json`): the query's, then the body's (a JSON body with its types, as a webhook
 * sent it), then the path's `id` and `ref`, and `variables` as a map (`{}` when none were given).
 */
function payloadOf(ctx: RequestContext, variables: Record<string, string>): string {
  const contentType = ctx.headers["content-type"];
  const merged: Record<string, unknown> = {};
  const body = jsonBodyObject(ctx.body, contentType) ?? bodyParams(ctx.body, contentType);
  for (const source of [ctx.query.params, body, ctx.route])
    for (const [key, value] of Object.entries(source))
      Object.defineProperty(merged, key, { value, enumerable: true, writable: true, configurable: true });
  merged.variables = variables;
  delete merged.token;
  return JSON.stringify(merged);
}

/** 201 with the Pipeline entity; 404 `Not Found` for a project or token that does not fit. */
export function triggerPipelineRoute(
  ctx: RequestContext,
  app: AccessDeps & PipelineFromRefDeps & PresentV4Deps,
): Reply {
  const { ref, token, variables } = validParams(ctx);
  // A project's own pipeline webhook pointed back at the trigger API would loop forever.
  if (ctx.headers["x-gitlab-event"] === "Pipeline Hook") throw ApiError.of("FORBIDDEN");
  const vars = stringMap(ctx, variables);
  const project = lookupProject(ctx, app);
  if (!project) throw ApiError.of("NOT_FOUND");
  const result = triggerPipeline(app, {
    projectId: project.id,
    token,
    ref,
    variables: vars,
    payload: payloadOf(ctx, vars),
  });
  switch (result.kind) {
    case "created":
      return jsonReply(201, presentPipelineV4(result.pipeline, presentOptionsV4(app)));
    case "not_found":
      throw ApiError.of("NOT_FOUND");
    case "job_not_running":
      throw ApiError.rendered(401, "Job is not running");
    case "invalid":
      throw ApiError.recordInvalid({ base: result.errors });
  }
}
