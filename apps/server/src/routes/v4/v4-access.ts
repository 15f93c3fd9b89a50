// Who calls the v4 API and what they may do: users (private/OAuth token, sudo), a running job's
// JOB-TOKEN (read access to its own project only), and anonymous callers where GitLab allows them.

import type { Build, Project, User } from "@buildsim/core";
import { ACCESS_LEVELS } from "@buildsim/core";
import type { App } from "../../app.js";
import {
  accessLevelOf,
  canAdminProject,
  canDestroyPipeline,
  canReadBuild,
  canReadCode,
  canReadProject,
  canUpdateBuild,
} from "../../auth/abilities.js";
import { tokenOf } from "../../auth/authenticate.js";
import { ApiError } from "../../http/api-error.js";
import type { RequestContext } from "../../http/request-context.js";
import { jobUser } from "../../services/job-user.js";
import { type AccessDeps, currentUser, lookupProject } from "../access.js";

/**
 * The caller of a v4 request. `jobProjectId` is set when a job token authenticated it: the caller then
 * acts as the job's user, limited to reading that one project. `user` is null only for anonymous reads.
 */
export interface Caller {
  user: User | null;
  jobProjectId: number | null;
}

const headerOf = (ctx: RequestContext, name: string): string | undefined => {
  const v = ctx.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The job token the request carries (`JOB-TOKEN` header or `job_token` param), if any. */
function jobTokenOf(ctx: RequestContext): string | undefined {
  const param = ctx.params.job_token;
  if (param !== undefined) return typeof param === "string" ? param : "";
  return headerOf(ctx, "job-token");
}

/**
 * `authenticate!` for v4. A job token must belong to a running job whose user is active (else 401).
 * Without any credentials the caller is anonymous when `allowAnonymous` (GitLab's
 * `authenticate_non_get!` artifact downloads), else 401.
 */
export function callerOf(ctx: RequestContext, app: AccessDeps, allowAnonymous = false): Caller {
  const jobToken = jobTokenOf(ctx);
  if (jobToken !== undefined) {
    const build = jobToken ? app.store.builds.getByToken(jobToken) : undefined;
    const user = build?.status === "running" ? jobUser(app.store, build) : undefined;
    if (!build || user?.state !== "active") throw ApiError.of("UNAUTHORIZED");
    return { user, jobProjectId: build.projectId };
  }
  if (allowAnonymous && tokenOf({ params: ctx.params, headers: ctx.headers }) === undefined)
    return { user: null, jobProjectId: null };
  return { user: currentUser(ctx, app), jobProjectId: null };
}

/** The caller as a signed-in user; for endpoints that take neither job tokens nor anonymous callers. */
export function userCallerOf(ctx: RequestContext, app: AccessDeps): Caller & { user: User } {
  return { user: currentUser(ctx, app), jobProjectId: null };
}

/** `:read_project` for any kind of caller. */
export function callerCanReadProject(caller: Caller, project: Project): boolean {
  if (caller.jobProjectId !== null) return caller.jobProjectId === project.id;
  if (caller.user === null) return project.visibility === "public";
  return canReadProject(caller.user, project);
}

/** `user_project`: by id or `namespace/project`; 404 `Project Not Found` when missing or not visible. */
export function findProjectV4(ctx: RequestContext, app: AccessDeps, caller: Caller): Project {
  const project = lookupProject(ctx, app);
  if (!project || !callerCanReadProject(caller, project)) throw ApiError.of("PROJECT_NOT_FOUND");
  return project;
}

/** `authorize_read_builds!`: a job token reads its own project's jobs; anonymous needs public jobs. */
export function requireReadJobs(caller: Caller, project: Project): void {
  let allowed: boolean;
  if (caller.jobProjectId !== null) allowed = project.buildsEnabled && caller.jobProjectId === project.id;
  else if (caller.user === null)
    allowed = project.buildsEnabled && project.visibility === "public" && project.publicBuilds;
  else allowed = canReadBuild(caller.user, project);
  if (!allowed) throw ApiError.of("FORBIDDEN");
}

/** `update_build` (cancel, retry, erase, play, keep): Developer and above; never a job token. */
export function requireUpdateJobs(caller: Caller, project: Project): User {
  if (caller.jobProjectId !== null || caller.user === null || !canUpdateBuild(caller.user, project))
    throw ApiError.of("FORBIDDEN");
  return caller.user;
}

/** `destroy_artifacts`: Master (Maintainer) and above; never a job token. */
export function requireDestroyArtifacts(caller: Caller, project: Project): User {
  const user = caller.jobProjectId === null ? caller.user : null;
  const allowed =
    user !== null &&
    project.buildsEnabled &&
    (user.isAdmin || accessLevelOf(user, project) >= ACCESS_LEVELS.master);
  if (!allowed || user === null) throw ApiError.of("FORBIDDEN");
  return user;
}

/** `destroy_pipeline`: Owners and admins; never a job token. */
export function requireDestroyPipeline(caller: Caller, project: Project): User {
  const user = caller.jobProjectId === null ? caller.user : null;
  if (user === null || !canDestroyPipeline(user, project)) throw ApiError.of("FORBIDDEN");
  return user;
}

/** `authorize_read_code!`: the repository's code, protected branches included; never a job token. */
export function requireReadCode(caller: Caller, project: Project): void {
  if (caller.jobProjectId !== null || !canReadCode(caller.user, project)) throw ApiError.of("FORBIDDEN");
}

/** `admin_project` (protected branches, trigger tokens): Maintainer and above, admins; never a job token. */
export function requireAdminProject(caller: Caller, project: Project): User {
  const user = caller.jobProjectId === null ? caller.user : null;
  if (user === null || !canAdminProject(user, project)) throw ApiError.of("FORBIDDEN");
  return user;
}

/** `admin_cicd_variables` (project variables API): Maintainer and above, admins; never a job token. */
export function requireAdminVariables(caller: Caller, project: Project): User {
  const user = caller.jobProjectId === null ? caller.user : null;
  const allowed = user !== null && (user.isAdmin || accessLevelOf(user, project) >= ACCESS_LEVELS.master);
  if (!allowed || user === null) throw ApiError.of("FORBIDDEN");
  return user;
}

/**
 * `find_job!`: `user_project.processables.find`, a job or a trigger job (bridge); a missing one is
 * ActiveRecord's 404 `Not found`. Only `play` looks jobs up this way.
 */
export function findProcessable(app: Pick<App, "store">, project: Project, jobId: number): Build {
  const build = jobId > 0 ? app.store.builds.get(jobId) : undefined;
  // A commit status (GenericCommitStatus) is no processable: only builds and bridges are.
  if (!build || build.projectId !== project.id || build.external !== null)
    throw ApiError.of("RECORD_NOT_FOUND");
  return build;
}

/** `find_build!`: `user_project.builds.find`; a trigger job is no build there (404 `Not found`). */
export function findJob(app: Pick<App, "store">, project: Project, jobId: number): Build {
  const build = findProcessable(app, project, jobId);
  if (build.trigger !== null) throw ApiError.of("RECORD_NOT_FOUND");
  return build;
}
