// The records a build entity embeds (user, commit, runner, pipeline), as the caller hands them to a
// presenter: presenters never read the store themselves (`routes/store-lookup.ts` implements this).

import type { Commit, Pipeline, Runner, User } from "@buildsim/core";

/** Memoized reads for one render pass. */
export interface EntityLookup {
  user(id: number | null): User | undefined;
  commit(projectId: number, sha: string): Commit | undefined;
  runner(id: number | null): Runner | undefined;
  pipeline(id: number): Pipeline | undefined;
}
