// Keeps environments and deployments in step with their jobs, as GitLab's Seed::Environment,
// Seed::Deployment and Ci::Build's deployment transitions do: the first job naming an environment creates
// it; a `start` job (the default action) gets a deployment that follows the job's status; a successful
// deployment makes the environment available with the job's url and `auto_stop_in`; a successful `stop`
// job stops it. `prepare`, `verify` and `access` jobs deploy nothing.
// https://docs.gitlab.com/ci/environments/

import { parseDurationS } from "@buildsim/ci-config";
import {
  type Build,
  deploymentStatusFor,
  type Environment,
  environmentSlug,
  guessDeploymentTier,
} from "@buildsim/core";
import type { Store } from "../store/create-store.js";

/** The environment `build` names, created on first use. */
function ensureEnvironment(store: Store, build: Build, at: string): Environment | null {
  const env = build.environment;
  if (!env) return null;
  const existing = store.environments.getByName(build.projectId, env.name);
  if (existing) return existing;
  return store.environments.insert({
    projectId: build.projectId,
    name: env.name,
    slug: environmentSlug(env.name),
    externalUrl: env.url,
    state: "available",
    tier: env.deploymentTier ?? guessDeploymentTier(env.name),
    createdAt: at,
    updatedAt: at,
    autoStopAt: null,
  });
}

/** `auto_stop_in` from `at`: null for none or `never`. */
function autoStopAt(autoStopIn: string | null, at: string): string | null {
  if (autoStopIn === null || autoStopIn === "never") return null;
  const seconds = parseDurationS(autoStopIn);
  return seconds === null ? null : new Date(Date.parse(at) + seconds * 1000).toISOString();
}

/**
 * Brings `build`'s environment and deployment up to date with its current status. Called inside the
 * transaction that created the build or changed its status.
 */
export function trackDeployment(store: Store, build: Build, at: string): void {
  const env = build.environment;
  const environment = ensureEnvironment(store, build, at);
  if (!env || !environment) return;
  if (env.action === "stop") {
    if (build.status === "success")
      store.environments.save({ ...environment, state: "stopped", autoStopAt: null, updatedAt: at });
    return;
  }
  if (env.action !== "start") return;
  let deployment = store.environments.deploymentOf(build.id);
  if (!deployment) {
    deployment = store.environments.insertDeployment({
      projectId: build.projectId,
      environmentId: environment.id,
      buildId: build.id,
      ref: build.ref,
      sha: build.sha,
      tag: build.tag,
      status: "created",
      userId: build.userId,
      createdAt: at,
      updatedAt: at,
      finishedAt: null,
    });
  }
  const status = deploymentStatusFor(build.status);
  if (status === null || status === deployment.status) return;
  const finished = status !== "running";
  store.environments.saveDeployment({
    ...deployment,
    status,
    updatedAt: at,
    finishedAt: finished ? at : null,
  });
  if (status === "success") {
    store.environments.save({
      ...environment,
      externalUrl: env.url ?? environment.externalUrl,
      state: "available",
      tier: env.deploymentTier ?? environment.tier,
      autoStopAt: autoStopAt(env.autoStopIn, at),
      updatedAt: at,
    });
  }
}
