// `POST /projects/:id/environments/:id/stop` (Environments::StopService): plays the `on_stop` job of the
// environment's last deployment when there is one to play, leaving the environment `stopping` until that
// job succeeds; without one (or with `force`), the environment is stopped at once.

import { type Environment, isPlayable, type User } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import type { BuildActions } from "./build-actions.js";

export interface StopEnvironmentDeps {
  store: Store;
  actions: BuildActions;
  now: () => string;
}

/**
 * Stops `environment` for `user`; returns it as it is afterwards. Without a user to play the stop job as
 * (an auto-stop whose stop job has none), the environment is stopped at once.
 */
export function stopEnvironment(
  d: StopEnvironmentDeps,
  environment: Environment,
  user: User | null,
  force: boolean,
): Environment {
  const stopJob = force ? undefined : stopActionOf(d.store, environment);
  if (stopJob && user) {
    d.store.transaction(() => {
      d.store.environments.save({ ...environment, state: "stopping", updatedAt: d.now() });
      const played = d.actions.play(stopJob.id, user);
      // `stopActionOf` only returns playable jobs, in this same transaction: a refusal is a bug.
      if (!played.ok) throw new Error(`on_stop job ${stopJob.id} refused to play: ${played.refusal}`);
    });
  } else {
    d.store.transaction(() =>
      d.store.environments.save({ ...environment, state: "stopped", autoStopAt: null, updatedAt: d.now() }),
    );
  }
  return d.store.environments.get(environment.id) ?? environment;
}

/** The playable `on_stop` job in the pipeline of the environment's last deployment, if any. */
export function stopActionOf(store: Store, environment: Environment) {
  const deployment = store.environments.lastDeployment(environment.id);
  const deployed = deployment && store.builds.get(deployment.buildId);
  const onStop = deployed?.environment?.onStop;
  if (!deployed || !onStop) return undefined;
  const candidates = store.builds
    .listByPipeline(deployed.pipelineId)
    .filter((b) => b.name === onStop && !b.retried && b.environment?.action === "stop");
  return candidates.find((b) => isPlayable(b));
}
