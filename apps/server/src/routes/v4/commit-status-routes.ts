// `GET /projects/:id/repository/commits/:sha/statuses` and `POST /projects/:id/statuses/:sha`: external
// CI tools read and report a commit's statuses, with GitLab 17.0's params, permissions (Reporter reads,
// Developer writes) and errors (lib/api/commit_statuses.rb;
// https://docs.gitlab.com/17.0/ee/api/commits.html#commit-status).

import { type Build, CommitStatusEntitySchema } from "@buildsim/core";
import { Type } from "@sinclair/typebox";
import type { App } from "../../app.js";
import { canReadBuild } from "../../auth/abilities.js";
import { ApiError } from "../../http/api-error.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import type { Params } from "../../http/parse-query.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { json, type RouteSpec } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import { presentCommitStatusV4 } from "../../presenters/present-commit-status-v4.js";
import {
  COMMIT_STATUS_STATES,
  type CommitStatusDeps,
  type CommitStatusState,
  saveCommitStatus,
  TransitionRefused,
} from "../../services/commit-statuses.js";
import type { AccessDeps } from "../access.js";
import type { RouteHandler } from "../route-handler.js";
import { booleanParam, stringParam } from "./grape-params.js";
import { findProjectV4, requireUpdateJobs, userCallerOf } from "./v4-access.js";

const INTEGER = /^\s*[+-]?\d+\s*$/;
const FLOAT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Grape's `Integer`: `<name> is invalid` for anything else. */
function integerParam(params: Params, name: string): number | undefined {
  const v = stringParam(params, name);
  if (v === undefined) return undefined;
  if (!INTEGER.test(v)) throw ApiError.invalidParam(`${name} is invalid`);
  return Number(v);
}

/** One of `values` (Grape's `values:`), or 400. */
function choiceParam<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const v = stringParam(params, name);
  if (v !== undefined && !values.includes(v as T))
    throw ApiError.invalidParam(`${name} does not have a valid value`);
  return v as T | undefined;
}

const present = (app: Pick<App, "store" | "webUrl">, b: Build) =>
  presentCommitStatusV4(b, b.userId === null ? undefined : app.store.users.get(b.userId), app.webUrl());

/**
 * `GET …/commits/:sha/statuses`: every job of the commit's pipelines (`all` keeps retried ones), by `ref`,
 * `stage`, `name`, `pipeline_id`; `order_by` id or pipeline_id, `sort` asc (default) or desc.
 */
export function listCommitStatuses(ctx: RequestContext, app: AccessDeps & Pick<App, "webUrl">): Reply {
  const params = ctx.params;
  const all = booleanParam(params, "all") ?? false;
  const pipelineId = integerParam(params, "pipeline_id");
  const orderBy = choiceParam(params, "order_by", ["id", "pipeline_id"] as const) ?? "id";
  const sort = choiceParam(params, "sort", ["asc", "desc"] as const) ?? "asc";
  const [ref, stage, name] = ["ref", "stage", "name"].map((k) => stringParam(params, k) || undefined);
  const pageReq = parsePageRequest(params);
  const caller = userCallerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  // `read_commit_status` is Reporter and above, as `read_build`.
  if (!canReadBuild(caller.user, project)) throw ApiError.of("FORBIDDEN");
  const sha = ctx.route.sha ?? "";
  if (!app.store.commits.get(project.id, sha)) throw ApiError.of("COMMIT_NOT_FOUND");
  const pipelines = app.store.pipelines
    .list(
      { projectId: project.id, statuses: null, sha, orderBy: "id", descending: false },
      Number.MAX_SAFE_INTEGER,
      0,
    )
    .filter((p) => pipelineId === undefined || p.id === pipelineId);
  const statuses = pipelines
    .flatMap((p) => app.store.builds.listByPipeline(p.id))
    .filter(
      (b) =>
        (all || !b.retried) &&
        (ref === undefined || b.ref === ref) &&
        (stage === undefined || b.stage === stage) &&
        (name === undefined || b.name === name),
    )
    .sort((a, b) => (orderBy === "id" ? a.id - b.id : a.pipelineId - b.pipelineId || a.id - b.id));
  if (sort === "desc") statuses.reverse();
  const window = pageWindow(pageReq, statuses.length);
  const page = window ? statuses.slice(window.offset, window.offset + window.limit) : [];
  return jsonReply(
    200,
    page.map((b) => present(app, b)),
    paginationHeaders(pageReq, statuses.length, ctx.baseUrl, { ...params, ...ctx.route }, 1),
  );
}

/** `POST /projects/:id/statuses/:sha`: 201 with the status job; GitLab's 400/403/404 otherwise. */
export function postCommitStatus(
  ctx: RequestContext,
  app: AccessDeps & CommitStatusDeps & Pick<App, "webUrl">,
): Reply {
  const params = ctx.params;
  const state = choiceParam(params, "state", COMMIT_STATUS_STATES);
  if (state === undefined) throw ApiError.invalidParam("state is missing");
  const [ref, targetUrl, description, name, context] = [
    "ref",
    "target_url",
    "description",
    "name",
    "context",
  ].map((k) => stringParam(params, k));
  const coverageText = stringParam(params, "coverage");
  if (coverageText !== undefined && !FLOAT.test(coverageText))
    throw ApiError.invalidParam("coverage is invalid");
  const pipelineId = integerParam(params, "pipeline_id");
  const caller = userCallerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  // `create_commit_status` is Developer and above.
  const user = requireUpdateJobs(caller, project);
  try {
    const result = saveCommitStatus(app, {
      project,
      user,
      sha: ctx.route.sha ?? "",
      state: state as CommitStatusState,
      name: name ?? context ?? "default",
      ...(ref !== undefined ? { ref } : {}),
      ...(targetUrl !== undefined ? { targetUrl } : {}),
      ...(description !== undefined ? { description } : {}),
      ...(coverageText !== undefined ? { coverage: Number(coverageText) } : {}),
      ...(pipelineId !== undefined ? { pipelineId } : {}),
    });
    if (result.kind === "error") throw ApiError.rendered(result.status, result.message);
    return jsonReply(201, present(app, result.build));
  } catch (e) {
    if (e instanceof TransitionRefused) throw ApiError.rendered(400, e.message);
    throw e;
  }
}

const v4 = (summary: string, responses: RouteSpec["responses"], params: RouteSpec["params"]): RouteSpec => ({
  summary,
  api: "v4",
  responses,
  params,
});

/** Adds the commit status routes. */
export function addCommitStatusRoutes(router: Router<RouteHandler>): void {
  const p = "/api/v4/projects/:id";
  router
    .add(
      "GET",
      `${p}/repository/commits/:sha/statuses`,
      listCommitStatuses,
      v4(
        "List the statuses of a commit",
        { 200: json("The statuses (paginated)", Type.Array(CommitStatusEntitySchema)) },
        Type.Object({
          ref: Type.Optional(Type.String()),
          stage: Type.Optional(Type.String()),
          name: Type.Optional(Type.String()),
          pipeline_id: Type.Optional(Type.Integer()),
          all: Type.Optional(Type.Boolean({ description: "@default false: retried statuses left out" })),
          order_by: Type.Optional(Type.String({ description: "id (default) or pipeline_id" })),
          sort: Type.Optional(Type.String({ description: "asc (default) or desc" })),
        }),
      ),
    )
    .add(
      "POST",
      `${p}/statuses/:sha`,
      postCommitStatus,
      v4(
        "Set the pipeline status of a commit",
        { 201: json("The status", CommitStatusEntitySchema) },
        Type.Object({
          state: Type.String({ description: COMMIT_STATUS_STATES.join(", ") }),
          ref: Type.Optional(Type.String()),
          name: Type.Optional(Type.String({ description: "@default default" })),
          context: Type.Optional(Type.String({ description: "Same as `name`" })),
          target_url: Type.Optional(Type.String()),
          description: Type.Optional(Type.String()),
          coverage: Type.Optional(Type.Number()),
          pipeline_id: Type.Optional(Type.Integer()),
        }),
      ),
    );
}
