// What the branch a job or pipeline ran on leaves a user allowed to do with it: the `protected_ref`
// conditions of GitLab 17.0's `Ci::BuildPolicy` and `Ci::PipelinePolicy`, decided here once as a value
// for every route (routes/access.ts `requireRefAccess` turns a refusal into GitLab's 403).

import type { Project, User } from "@buildsim/core";
import { canAdminProject, canEraseBuild, canUpdateJob } from "../auth/abilities.js";
import type { Store } from "../store/create-store.js";
import { isProtectedRefFor, type RefOf, refStanding } from "./protected-branches.js";

/**
 * An action on a job or pipeline that a protected ref can take away:
 * - `update_job`: retry, play, cancel (`update_build` / `cancel_build`);
 * - `erase_job`: erase (`erase_build`: Maintainers, or the job's own user on an unprotected ref);
 * - `update_pipeline`: cancel and retry a pipeline (`update_pipeline` / `cancel_pipeline`);
 * - `read_pipeline_variables`: `read_pipeline_variable` (Maintainers, or the pipeline's own user on a
 *   branch they may update).
 */
export type RefAction = "update_job" | "erase_job" | "update_pipeline" | "read_pipeline_variables";

/** A job or a pipeline, as far as its ref and its user go. */
export interface RefTarget extends RefOf {
  userId: number | null;
}

/** Whether `user` may take `action` on `target` (a job or pipeline of `project`) as its ref stands. */
export function refAllows(
  store: Pick<Store, "protectedBranches">,
  user: User,
  project: Project,
  action: RefAction,
  target: RefTarget,
): boolean {
  switch (action) {
    case "update_job":
      return canUpdateJob(user, project, refStanding(store, user, project, target));
    case "erase_job":
      return canEraseBuild(user, project, target, refStanding(store, user, project, target));
    case "update_pipeline":
      return !isProtectedRefFor(user, project, store, target);
    case "read_pipeline_variables":
      return (
        canAdminProject(user, project) ||
        (target.userId === user.id && !isProtectedRefFor(user, project, store, target))
      );
  }
}
