// Who a job acts as: the user its job token stands for (API calls, pipelines it triggers).

import type { Build, User } from "@buildsim/core";
import type { Store } from "../store/create-store.js";

/** The job's own user, else whoever started its pipeline; undefined when neither is known. */
export function jobUser(store: Store, job: Build): User | undefined {
  const userId = job.userId ?? store.pipelines.get(job.pipelineId)?.userId ?? null;
  return userId === null ? undefined : store.users.get(userId);
}
