// GitLab 8.17's project policy for builds: who may see a project, read its builds, and change them.

import { ACCESS_LEVELS, type Build, type Project, type User } from "@buildsim/core";

/** The caller's access level in `project` (0 when not a member). */
export function accessLevelOf(user: User, project: Project): number {
  for (const m of project.members) if (m.userId === user.id) return m.accessLevel;
  return 0;
}

/** `:read_project`: admins, members, and any signed-in user for internal or public projects. */
export function canReadProject(user: User, project: Project): boolean {
  if (user.isAdmin) return true;
  if (project.visibility !== "private") return true;
  return accessLevelOf(user, project) > 0;
}

/**
 * `:read_code` (repository, protected branches): anyone who sees a public or internal project; Reporter
 * and above on a private one (Guests may not read a private project's code).
 */
export function canReadCode(user: User | null, project: Project): boolean {
  if (user === null) return project.visibility === "public";
  if (!canReadProject(user, project)) return false;
  if (user.isAdmin || project.visibility !== "private") return true;
  return accessLevelOf(user, project) >= ACCESS_LEVELS.reporter;
}

/** `:admin_project` (protected branches, trigger tokens): Maintainer and above, admins. */
export function canAdminProject(user: User, project: Project): boolean {
  return user.isAdmin || accessLevelOf(user, project) >= ACCESS_LEVELS.master;
}

/**
 * 17.0's `:destroy_pipeline` (ProjectPolicy's `owner_access`: Owners and admins), taken away with the
 * builds feature (`builds_disabled` prevents every pipeline ability).
 */
export function canDestroyPipeline(user: User, project: Project): boolean {
  if (!project.buildsEnabled) return false;
  return user.isAdmin || accessLevelOf(user, project) >= ACCESS_LEVELS.owner;
}

/**
 * `:read_build`: Reporter and above; Guests and (on public/internal projects) non-members only when
 * the project has public builds. Nobody has it with the builds feature disabled.
 */
export function canReadBuild(user: User, project: Project): boolean {
  if (!project.buildsEnabled || !canReadProject(user, project)) return false;
  if (user.isAdmin) return true;
  if (accessLevelOf(user, project) >= ACCESS_LEVELS.reporter) return true;
  return project.publicBuilds;
}

/** `:update_build`: Developer and above (admins always), with the builds feature enabled. */
export function canUpdateBuild(user: User, project: Project): boolean {
  if (!project.buildsEnabled) return false;
  if (user.isAdmin) return true;
  return accessLevelOf(user, project) >= ACCESS_LEVELS.developer;
}

/**
 * How a job's ref stands for a user: `protected` when a protected branch rule covers it, `blocked` when
 * the user may not update that branch (`Ci::BuildPolicy`'s `protected_ref` condition).
 */
export interface RefStanding {
  protected: boolean;
  blocked: boolean;
}

/**
 * 17.0's `:update_build` / `:cancel_build` on one job (retry, play, cancel): `update_build` on the project,
 * taken away when the ref is protected against the user (app/policies/ci/build_policy.rb).
 */
export function canUpdateJob(user: User, project: Project, ref: RefStanding): boolean {
  return canUpdateBuild(user, project) && !ref.blocked;
}

/**
 * 17.0's `:erase_build` (app/policies/ci/build_policy.rb): `admin_build` (Maintainer and above, admins),
 * or `update_build` on a job the user started on an unprotected ref; never on a ref protected against the
 * user. 8.17's v3 erase asks for `update_build` only.
 */
export function canEraseBuild(
  user: User,
  project: Project,
  build: Pick<Build, "userId">,
  ref: RefStanding,
): boolean {
  if (!canUpdateJob(user, project, ref)) return false;
  if (user.isAdmin || accessLevelOf(user, project) >= ACCESS_LEVELS.master) return true;
  return build.userId === user.id && !ref.protected;
}
