// A project page's project, and what the signed-in user may do in it (GitLab's rule: Developers and
// above, and admins, update jobs: cancel, retry, play, erase, keep artifacts).

import type { ProjectEntity } from "@buildsim/core";
import { useSession } from "./session.js";
import { type AsyncState, useAsync } from "./use-async.js";

const DEVELOPER = 30;

/** What the UI offers in a project. */
export interface ProjectAbilities {
  /** Cancel, retry, play, erase, keep artifacts. */
  updateJobs: boolean;
}

type WithPermissions = ProjectEntity & {
  permissions?: {
    project_access: { access_level: number } | null;
    group_access: { access_level: number } | null;
  };
};

/** The project and the caller's abilities in it. */
export function useProject(path: string): AsyncState<ProjectEntity> & { abilities: ProjectAbilities } {
  const { client, user } = useSession();
  const state = useAsync((signal) => client.v4.projects.get(path, { signal }), [client, path]);
  const project = state.value as WithPermissions | undefined;
  const level = Math.max(
    project?.permissions?.project_access?.access_level ?? 0,
    project?.permissions?.group_access?.access_level ?? 0,
  );
  const admin = user?.is_admin === true;
  return {
    ...state,
    abilities: {
      updateJobs: user !== null && (admin || level >= DEVELOPER),
    },
  };
}
