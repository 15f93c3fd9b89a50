// `/projects/:id/variables`: a project's CI/CD variables (list, get, create, update, delete) with GitLab's
// parameters, permission (Maintainer: `admin_cicd_variables`) and error bodies.

import type { ProjectVariable } from "@buildsim/core";
import { ApiError } from "../../http/api-error.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import type { Params } from "../../http/parse-query.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentVariableV4 } from "../../presenters/present-variable-v4.js";
import { createProjectVariables } from "../../services/project-variables.js";
import type { AccessDeps } from "../access.js";
import { booleanParam, stringParam } from "./grape-params.js";
import { findProjectV4, requireAdminVariables, userCallerOf } from "./v4-access.js";

function variableTypeParam(params: Params): ProjectVariable["variableType"] | undefined {
  const v = stringParam(params, "variable_type");
  if (v === undefined) return undefined;
  if (v !== "env_var" && v !== "file")
    throw ApiError.invalidParam("variable_type does not have a valid value");
  return v;
}

/** `filter[environment_scope]`. */
function scopeFilter(params: Params): string | undefined {
  const filter = params.filter;
  if (filter === undefined) return undefined;
  if (typeof filter !== "object" || Array.isArray(filter)) throw ApiError.invalidParam("filter is invalid");
  return stringParam(filter, "environment_scope");
}

function setup(ctx: RequestContext, app: AccessDeps) {
  const caller = userCallerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  requireAdminVariables(caller, project);
  return { project, variables: createProjectVariables(app.store) };
}

/** The one variable `:key` (narrowed by the filter) names: 404, or 409 when several scopes share it. */
function findVariable(
  ctx: RequestContext,
  app: AccessDeps,
): { found: ProjectVariable; s: ReturnType<typeof setup> } {
  const scope = scopeFilter(ctx.params);
  const s = setup(ctx, app);
  const list = s.variables.matching(s.project.id, ctx.route.key ?? "", scope);
  if (list.length === 0) throw ApiError.of("VARIABLE_NOT_FOUND");
  if (list.length > 1) throw ApiError.of("VARIABLE_AMBIGUOUS");
  return { found: list[0]!, s };
}

/** `GET /projects/:id/variables`. */
export function listVariables(ctx: RequestContext, app: AccessDeps): Reply {
  const pageReq = parsePageRequest(ctx.params);
  const { project, variables } = setup(ctx, app);
  const all = variables.list(project.id);
  const window = pageWindow(pageReq, all.length);
  const page = window ? all.slice(window.offset, window.offset + window.limit) : [];
  return jsonReply(
    200,
    page.map(presentVariableV4),
    paginationHeaders(pageReq, all.length, ctx.baseUrl, { ...ctx.params, ...ctx.route }, 1),
  );
}

/** `GET /projects/:id/variables/:key`. */
export function getVariable(ctx: RequestContext, app: AccessDeps): Reply {
  return jsonReply(200, presentVariableV4(findVariable(ctx, app).found));
}

/** `POST /projects/:id/variables`: 201, or 400 with the record's errors. */
export function createVariable(ctx: RequestContext, app: AccessDeps): Reply {
  const key = stringParam(ctx.params, "key");
  if (key === undefined) throw ApiError.invalidParam("key is missing");
  const value = stringParam(ctx.params, "value");
  if (value === undefined) throw ApiError.invalidParam("value is missing");
  const variableType = variableTypeParam(ctx.params) ?? "env_var";
  const flags = {
    protected: booleanParam(ctx.params, "protected") ?? false,
    masked: booleanParam(ctx.params, "masked") ?? false,
    raw: booleanParam(ctx.params, "raw") ?? false,
  };
  const environmentScope = stringParam(ctx.params, "environment_scope") ?? "*";
  const description = stringParam(ctx.params, "description") ?? null;
  const { project, variables } = setup(ctx, app);
  const result = variables.create({
    projectId: project.id,
    key,
    value,
    variableType,
    ...flags,
    environmentScope,
    description,
  });
  if (!result.ok) throw ApiError.recordInvalid(result.errors);
  return jsonReply(201, presentVariableV4(result.variable));
}

/** `PUT /projects/:id/variables/:key`: only the given attributes change. */
export function updateVariable(ctx: RequestContext, app: AccessDeps): Reply {
  const p = ctx.params;
  const value = stringParam(p, "value");
  const variableType = variableTypeParam(p);
  const prot = booleanParam(p, "protected");
  const masked = booleanParam(p, "masked");
  const raw = booleanParam(p, "raw");
  const environmentScope = stringParam(p, "environment_scope");
  const description = stringParam(p, "description");
  const { found, s } = findVariable(ctx, app);
  const result = s.variables.update(found, {
    ...found,
    ...(value !== undefined ? { value } : {}),
    ...(variableType !== undefined ? { variableType } : {}),
    ...(prot !== undefined ? { protected: prot } : {}),
    ...(masked !== undefined ? { masked } : {}),
    ...(raw !== undefined ? { raw } : {}),
    ...(environmentScope !== undefined ? { environmentScope } : {}),
    ...(description !== undefined ? { description } : {}),
  });
  if (!result.ok) throw ApiError.recordInvalid(result.errors);
  return jsonReply(200, presentVariableV4(result.variable));
}

/** `DELETE /projects/:id/variables/:key`: 204. */
export function deleteVariable(ctx: RequestContext, app: AccessDeps): Reply {
  const { found, s } = findVariable(ctx, app);
  s.variables.delete(found);
  return { status: 204, headers: [], body: Buffer.alloc(0) };
}
