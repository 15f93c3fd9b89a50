// The v3 builds endpoints' own checks (after `routes/access.ts`), in GitLab's order: 404 project → 403 → 404
// build.

import type { Build, Project, User } from "@buildsim/core";
import type { App } from "../../app.js";
import { canReadBuild, canReadProject, canUpdateBuild } from "../../auth/abilities.js";
import { ApiError } from "../../http/api-error.js";
import type { RequestContext } from "../../http/request-context.js";
import { type AccessDeps, lookupProject } from "../access.js";

/** `user_project`: the project by id or `namespace/project`, or 404 when missing or not visible. */
export function findProject(ctx: RequestContext, app: AccessDeps, user: User): Project {
  const project = lookupProject(ctx, app);
  if (!project || !canReadProject(user, project)) throw ApiError.of("PROJECT_NOT_FOUND");
  return project;
}

/** `authorize_read_builds!`. */
export function requireReadBuild(user: User, project: Project): void {
  if (!canReadBuild(user, project)) throw ApiError.of("FORBIDDEN");
}

/** `authorize_update_builds!`. */
export function requireUpdateBuild(user: User, project: Project): void {
  if (!canUpdateBuild(user, project)) throw ApiError.of("FORBIDDEN");
}

/** `get_build!`: the build of this project, or 404 `Not Found` (v3 knows no trigger jobs). */
export function findBuild(app: Pick<App, "store">, project: Project, buildId: number): Build {
  const build = buildId > 0 ? app.store.builds.get(buildId) : undefined;
  if (!build || build.projectId !== project.id || build.trigger !== null || build.external !== null)
    throw ApiError.of("NOT_FOUND");
  return build;
}
