// Renders `Entities::Environment` (list and single) with `last_deployment` as `Entities::Deployment`,
// its `deployable` being the job's Job entity.

import type { Build, Deployment, DeploymentEntity, Environment, EnvironmentEntity } from "@buildsim/core";
import { type PresentV4Options, presentUserV4 } from "./present-entities-v4.js";
import { presentJobV4 } from "./present-job-v4.js";

/** The environment as the list renders it. */
export function presentEnvironmentV4(e: Environment): EnvironmentEntity {
  return {
    id: e.id,
    name: e.name,
    slug: e.slug,
    description: null,
    external_url: e.externalUrl,
    state: e.state,
    tier: e.tier,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    auto_stop_at: e.autoStopAt,
    auto_stop_setting: "always",
    kubernetes_namespace: null,
    flux_resource_path: null,
  };
}

/** The single environment, with what is deployed there now: its last deployment and that job, if any. */
export function presentEnvironmentDetailV4(
  e: Environment,
  deployed: { deployment: Deployment; build: Build | undefined } | undefined,
  o: PresentV4Options,
): EnvironmentEntity {
  const deployment = deployed?.deployment;
  const build = deployed?.build;
  let last: DeploymentEntity | null = null;
  if (deployment && build) {
    const user = o.lookup.user(deployment.userId);
    last = {
      id: deployment.id,
      iid: deployment.iid,
      ref: deployment.ref,
      sha: deployment.sha,
      created_at: deployment.createdAt,
      updated_at: deployment.updatedAt,
      status: deployment.status,
      user: user ? presentUserV4(user, o.webUrl) : null,
      deployable: presentJobV4(build, o),
    };
  }
  return { ...presentEnvironmentV4(e), last_deployment: last, cluster_agent: null };
}
