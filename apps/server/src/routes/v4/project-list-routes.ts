// GET /projects: the projects the caller can see (anonymous: public ones), newest first, paginated;
// and the single project with the caller's `permissions`, as GitLab's `ProjectWithAccess` has them.
// https://docs.gitlab.com/ee/api/projects.html#list-all-projects

import type { Project, User } from "@buildsim/core";
import type { App } from "../../app.js";
import { accessLevelOf, canReadProject } from "../../auth/abilities.js";
import { pageWindow, paginationHeaders, parsePageRequest } from "../../http/paginate.js";
import { jsonReply, type Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { presentProjectV4 } from "../../presenters/present-project-v4.js";
import type { AccessDeps } from "../access.js";
import { callerOf, findProjectV4 } from "./v4-access.js";

/** GitLab's project `permissions`: the member's access (null when not a member); buildsim has no groups. */
function permissionsOf(user: User | null, project: Project) {
  const level = user ? accessLevelOf(user, project) : 0;
  return {
    project_access: level > 0 ? { access_level: level, notification_level: 3 } : null,
    group_access: null,
  };
}

/** `GET /projects`: anonymous callers see public projects; users what `read_project` lets them. */
export function listProjects(ctx: RequestContext, app: AccessDeps & Pick<App, "webUrl">): Reply {
  const caller = callerOf(ctx, app, true);
  const pageReq = parsePageRequest(ctx.params);
  const user = caller.user;
  const visible = app.store.projects
    .list()
    .filter((p) =>
      caller.jobProjectId !== null
        ? p.id === caller.jobProjectId
        : user
          ? canReadProject(user, p)
          : p.visibility === "public",
    );
  const window = pageWindow(pageReq, visible.length);
  const page = window ? visible.slice(window.offset, window.offset + window.limit) : [];
  const webUrl = app.webUrl();
  return jsonReply(
    200,
    page.map((p) => presentProjectV4(p, webUrl)),
    paginationHeaders(pageReq, visible.length, ctx.baseUrl, { ...ctx.params }, 1),
  );
}

/** `GET /projects/:id`: public projects without a token; signed-in callers also get `permissions`. */
export function getProjectWithAccess(ctx: RequestContext, app: AccessDeps & Pick<App, "webUrl">): Reply {
  const caller = callerOf(ctx, app, true);
  const project = findProjectV4(ctx, app, caller);
  const entity = presentProjectV4(project, app.webUrl());
  return jsonReply(
    200,
    caller.user ? { ...entity, permissions: permissionsOf(caller.user, project) } : entity,
  );
}
