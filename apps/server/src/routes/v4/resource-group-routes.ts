// The Resource groups API: a project's groups (created by the jobs that name them), the jobs waiting for
// one, and `PUT` of its `process_mode`. https://docs.gitlab.com/api/resource_groups/

import { RESOURCE_GROUP_PROCESS_MODES, type ResourceGroupProcessMode } from "@buildsim/core";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { inResourceOrder } from "../../services/resource-groups.js";
import type { ResourceGroupRecord } from "../../store/resource-groups-repo.js";
import type { AccessDeps } from "../access.js";
import { jobsReply, type PresentV4Deps } from "./job-reply.js";
import { callerOf, findProjectV4, requireReadJobs, requireUpdateJobs } from "./v4-access.js";

const present = (g: ResourceGroupRecord) => ({
  id: g.id,
  key: g.key,
  process_mode: g.processMode,
  created_at: g.createdAt,
  updated_at: g.updatedAt,
});

/** `GET /projects/:id/resource_groups` */
export function listResourceGroups(ctx: RequestContext, app: AccessDeps): Reply {
  const caller = callerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  return jsonReply(200, app.store.resourceGroups.list(project.id).map(present));
}

/** The group `:key` of the project: 404 `Not found` otherwise. */
function findGroup(ctx: RequestContext, app: Pick<App, "store">, projectId: number): ResourceGroupRecord {
  const group = app.store.resourceGroups.get(projectId, ctx.route.key ?? "");
  if (!group) throw ApiError.of("RECORD_NOT_FOUND");
  return group;
}

/** `GET /projects/:id/resource_groups/:key` */
export function getResourceGroup(ctx: RequestContext, app: AccessDeps): Reply {
  const caller = callerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  return jsonReply(200, present(findGroup(ctx, app, project.id)));
}

/** `GET /projects/:id/resource_groups/:key/upcoming_jobs`: the jobs waiting for the resource, in turn. */
export function listUpcomingJobs(ctx: RequestContext, app: AccessDeps & PresentV4Deps): Reply {
  const caller = callerOf(ctx, app);
  const project = findProjectV4(ctx, app, caller);
  requireReadJobs(caller, project);
  const group = findGroup(ctx, app, project.id);
  const waiting = inResourceOrder(
    app.store.builds.listResourceGroupActive(project.id, group.key),
    group.processMode,
  );
  return jobsReply(app, waiting, []);
}

/** `PUT /projects/:id/resource_groups/:key` with `process_mode`. */
export function updateResourceGroup(ctx: RequestContext, app: AccessDeps & Pick<App, "now">): Reply {
  const caller = callerOf(ctx, app);
  const mode = ctx.params.process_mode;
  if (
    mode !== undefined &&
    (typeof mode !== "string" || !(RESOURCE_GROUP_PROCESS_MODES as readonly string[]).includes(mode))
  )
    throw ApiError.invalidParam("process_mode does not have a valid value");
  const project = findProjectV4(ctx, app, caller);
  requireUpdateJobs(caller, project);
  const group = findGroup(ctx, app, project.id);
  if (mode !== undefined)
    app.store.transaction(() =>
      app.store.resourceGroups.setProcessMode(
        project.id,
        group.key,
        mode as ResourceGroupProcessMode,
        app.now(),
      ),
    );
  return jsonReply(200, present(findGroup(ctx, app, project.id)));
}
