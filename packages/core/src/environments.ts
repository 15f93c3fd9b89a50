// Environments and deployments (`environment:` jobs): the stored records, GitLab's slug and tier rules,
// and how a deployment's status follows its job's. Pure: the server stores and renders them.

import type { DeploymentTier, Timestamp } from "./domain.js";
import type { BuildStatus } from "./status.js";

/** `Environment#state`. */
export type EnvironmentState = "available" | "stopping" | "stopped";

/** A project's environment, created by the first job that names it. */
export interface Environment {
  id: number;
  projectId: number;
  name: string;
  slug: string;
  externalUrl: string | null;
  state: EnvironmentState;
  tier: DeploymentTier;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  /** When `auto_stop_in` stops it; set by each successful deployment. */
  autoStopAt: Timestamp | null;
}

/** `Deployment#status`. */
export type DeploymentStatus = "created" | "running" | "success" | "failed" | "canceled" | "skipped";

/** One job's deployment to an environment (`environment:action: start`, the default). */
export interface Deployment {
  id: number;
  /** Per-project sequence number. */
  iid: number;
  projectId: number;
  environmentId: number;
  buildId: number;
  ref: string;
  sha: string;
  tag: boolean;
  status: DeploymentStatus;
  userId: number | null;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  finishedAt: Timestamp | null;
}

/**
 * `Environment#generate_slug`: lowercase, anything but `[a-z0-9]` becomes `-`, a letter first, no repeated
 * dashes; a name that had to change (or is longer than 24) is cut to 17 characters and given a 6-character
 * suffix. GitLab draws the suffix at random; buildsim derives it from the name so it is reproducible.
 */
export function environmentSlug(name: string): string {
  let slug = name.toLowerCase().replace(/[^a-z0-9]/g, "-");
  if (!/^[a-z]/.test(slug)) slug = `env-${slug}`;
  slug = slug.replace(/-+/g, "-");
  if (slug.length <= 24 && slug === name) return slug.replace(/-$/, "");
  let hash = 2166136261;
  for (const ch of name) hash = Math.imul(hash ^ ch.charCodeAt(0), 16777619) >>> 0;
  const suffix = hash.toString(36).padStart(6, "0").slice(-6);
  return `${slug.slice(0, 17).replace(/-$/, "")}-${suffix}`;
}

/** `Environment#guess_tier`: the tier an environment gets from its name when the job names none. */
export function guessDeploymentTier(name: string): DeploymentTier {
  if (/(dev|review|trunk)/i.test(name)) return "development";
  if (/(test|tst|int|ac(ce|)pt|qa|qc|control|quality)/i.test(name)) return "testing";
  if (/(st(a|)g|mod(e|)l|pre|demo|non)/i.test(name)) return "staging";
  if (/(pr(o|)d|live)/i.test(name)) return "production";
  return "other";
}

/**
 * The deployment status a job's status implies (Ci::Build's transitions to running, success, failed,
 * canceled and skipped drive `Deployment#run`, `succeed`, `drop`, `cancel`, `skip`); null when the job's
 * status leaves the deployment as it is.
 */
export function deploymentStatusFor(status: BuildStatus): DeploymentStatus | null {
  switch (status) {
    case "running":
      return "running";
    case "success":
      return "success";
    case "failed":
      return "failed";
    case "canceled":
      return "canceled";
    case "skipped":
      return "skipped";
    default:
      return null;
  }
}

/** `Entities::Deployment` as the environment entity embeds it in `last_deployment`. */
export interface DeploymentEntity {
  id: number;
  iid: number;
  ref: string;
  sha: string;
  created_at: string;
  updated_at: string;
  status: DeploymentStatus;
  user: unknown;
  deployable: unknown;
}

/** `Entities::Environment` (the list renders it without `last_deployment`). */
export interface EnvironmentEntity {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  external_url: string | null;
  state: EnvironmentState;
  tier: DeploymentTier;
  created_at: string;
  updated_at: string;
  auto_stop_at: string | null;
  auto_stop_setting: "always";
  kubernetes_namespace: null;
  flux_resource_path: null;
  last_deployment?: DeploymentEntity | null;
  cluster_agent?: null;
}
