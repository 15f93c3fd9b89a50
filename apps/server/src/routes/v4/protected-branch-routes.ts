// `/projects/:id/protected_branches`: list (with `search`), get, protect and unprotect, with GitLab 17.0's
// parameters, permissions (`read_code` to read, Maintainer to change) and error bodies
// (lib/api/protected_branches.rb; https://docs.gitlab.com/17.0/ee/api/protected_branches.html).

import { PROTECTED_ACCESS_LEVELS, type ProtectedAccessLevel } from "@buildsim/core";
import { ApiError } from "../../http/api-error.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import type { Params } from "../../http/parse-query.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentProtectedBranchV4 } from "../../presenters/present-protected-branch-v4.js";
import { protectBranch, unprotectBranch } from "../../services/protected-branches.js";
import type { AccessDeps } from "../access.js";
import { booleanParam, stringParam } from "./grape-params.js";
import { callerOf, findProjectV4, requireAdminProject, requireReadCode, userCallerOf } from "./v4-access.js";

const LEVELS: readonly number[] = Object.values(PROTECTED_ACCESS_LEVELS);

/** Grape's `Integer` with `values:`: `is invalid` when not a number, `does not have a valid value` when not allowed. */
function accessLevelParam(params: Params, name: string): ProtectedAccessLevel {
  const v = stringParam(params, name);
  if (v === undefined) return PROTECTED_ACCESS_LEVELS.maintainer;
  if (!/^\s*[+-]?\d+\s*$/.test(v)) throw ApiError.invalidParam(`${name} is invalid`);
  const n = Number(v);
  if (!LEVELS.includes(n)) throw ApiError.invalidParam(`${name} does not have a valid value`);
  return n as ProtectedAccessLevel;
}

/** `GET /projects/:id/protected_branches`: rules as written (wildcards, not the branches they cover). */
export function listProtectedBranches(ctx: RequestContext, app: AccessDeps): Reply {
  const pageReq = parsePageRequest(ctx.params);
  const search = stringParam(ctx.params, "search");
  const caller = callerOf(ctx, app, true);
  const project = findProjectV4(ctx, app, caller);
  requireReadCode(caller, project);
  // `ProtectedBranchesFinder`: `search` is a case-insensitive substring of the rule's name.
  const needle = search?.toLowerCase();
  const all = app.store.protectedBranches
    .list(project.id)
    .filter((r) => needle === undefined || r.name.toLowerCase().includes(needle));
  const window = pageWindow(pageReq, all.length);
  const page = window ? all.slice(window.offset, window.offset + window.limit) : [];
  return jsonReply(
    200,
    page.map(presentProtectedBranchV4),
    paginationHeaders(pageReq, all.length, ctx.baseUrl, { ...ctx.params, ...ctx.route }, 1),
  );
}

/** `GET /projects/:id/protected_branches/:name`: the rule of that exact name (`release%2F*`), else 404. */
export function getProtectedBranch(ctx: RequestContext, app: AccessDeps): Reply {
  const caller = callerOf(ctx, app, true);
  const project = findProjectV4(ctx, app, caller);
  requireReadCode(caller, project);
  const rule = app.store.protectedBranches.get(project.id, ctx.route.name ?? "");
  if (!rule) throw ApiError.of("RECORD_NOT_FOUND");
  return jsonReply(200, presentProtectedBranchV4(rule));
}

/** `POST /projects/:id/protected_branches`: 201; 409 when a rule of that name exists. */
export function createProtectedBranch(ctx: RequestContext, app: AccessDeps): Reply {
  const name = stringParam(ctx.params, "name");
  if (name === undefined) throw ApiError.invalidParam("name is missing");
  const pushAccessLevel = accessLevelParam(ctx.params, "push_access_level");
  const mergeAccessLevel = accessLevelParam(ctx.params, "merge_access_level");
  const allowForcePush = booleanParam(ctx.params, "allow_force_push") ?? false;
  const caller = userCallerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  requireAdminProject(caller, project);
  // `ProtectedBranch` validates `name` presence: a blank name is the record's error, as full messages.
  if (name.trim() === "") throw ApiError.unprocessable(["Name can't be blank"]);
  const outcome = protectBranch(app.store, {
    projectId: project.id,
    name,
    pushAccessLevel,
    mergeAccessLevel,
    allowForcePush,
  });
  if (!outcome.ok) throw ApiError.conflict(`Protected branch '${name}' already exists`);
  return jsonReply(201, presentProtectedBranchV4(outcome.rule));
}

/** `DELETE /projects/:id/protected_branches/:name`: 204; 404 `Not found` first, then 403 below Maintainer. */
export function deleteProtectedBranch(ctx: RequestContext, app: AccessDeps): Reply {
  const caller = userCallerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  const rule = app.store.protectedBranches.get(project.id, ctx.route.name ?? "");
  if (!rule) throw ApiError.of("RECORD_NOT_FOUND");
  requireAdminProject(caller, project);
  unprotectBranch(app.store, rule);
  return { status: 204, headers: [], body: Buffer.alloc(0) };
}
