// `environment:auto_stop_in`: an environment whose `auto_stop_at` has passed is stopped as GitLab's
// Environments::AutoStopCronWorker does (through Environments::StopService): its `on_stop` job is played
// as that job's own user, leaving it `stopping` until the job succeeds; without one it is `stopped` at
// once. GitLab's worker runs hourly; the server's sweep runs every `sweepIntervalMs` on its own clock.
// https://docs.gitlab.com/ci/environments/#stop-an-environment-after-a-certain-time-period

import type { Environment } from "@buildsim/core";
import { type StopEnvironmentDeps, stopActionOf, stopEnvironment } from "./stop-environment.js";

/** Stops every available environment past its `auto_stop_at`; returns them as they are afterwards. */
export function stopExpiredEnvironments(d: StopEnvironmentDeps): Environment[] {
  return d.store.environments.listAutoStopDue(d.now()).map((environment) => {
    // AutoStopWorker: `user = stop_actions.last&.user`.
    const stopJob = stopActionOf(d.store, environment);
    const user = stopJob?.userId == null ? null : (d.store.users.get(stopJob.userId) ?? null);
    return stopEnvironment(d, environment, user, false);
  });
}
