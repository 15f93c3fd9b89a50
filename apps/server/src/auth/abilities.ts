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
 * 17.0's `:erase_build` (app/policies/ci/build_policy.rb): `admin_build` (Maintainer and above, admins),
 * or `update_build` on a job the user started. buildsim has no protected branches yet, so every ref
 * counts as unprotected. 8.17's v3 erase asks for `update_build` only.
 */
export function canEraseBuild(user: User, project: Project, build: Build): boolean {
  if (!canUpdateBuild(user, project)) return false;
  if (user.isAdmin || accessLevelOf(user, project) >= ACCESS_LEVELS.master) return true;
  return build.userId === user.id;
}
