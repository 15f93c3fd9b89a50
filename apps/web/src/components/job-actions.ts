// Which job actions GitLab offers for a job in a given state (the buttons shown to someone allowed
// to update jobs), and running one through the client.

import type { Client } from "@buildsim/client";
import type { BridgeEntity, JobEntity } from "@buildsim/core";

export type JobAction = "cancel" | "retry" | "play" | "erase" | "keep";

const CANCELABLE = new Set([
  "created",
  "pending",
  "running",
  "waiting_for_resource",
  "preparing",
  "scheduled",
]);
const RETRYABLE = new Set(["success", "failed", "canceled"]);

/** The actions for `job`, in GitLab's order. */
export function actionsFor(
  job: Pick<JobEntity, "status" | "erased_at" | "artifacts_expire_at" | "artifacts_file">,
): JobAction[] {
  const out: JobAction[] = [];
  if (job.status === "manual") out.push("play");
  if (CANCELABLE.has(job.status)) out.push("cancel");
  if (RETRYABLE.has(job.status)) out.push("retry");
  if (RETRYABLE.has(job.status) && job.erased_at === null) out.push("erase");
  if (job.artifacts_file && job.artifacts_expire_at !== null) out.push("keep");
  return out;
}

export const ACTION_LABELS: Readonly<Record<JobAction, string>> = {
  cancel: "Cancel",
  retry: "Retry",
  play: "Run",
  erase: "Erase log and artifacts",
  keep: "Keep artifacts",
};

/** Runs `action`; resolves with the job it returns (a retry returns the new job; a played trigger job its Bridge). */
export function runJobAction(
  client: Client,
  project: string | number,
  jobId: number,
  action: JobAction,
): Promise<JobEntity | BridgeEntity> {
  const jobs = client.v4.jobs;
  switch (action) {
    case "cancel":
      return jobs.cancel(project, jobId);
    case "retry":
      return jobs.retry(project, jobId);
    case "play":
      return jobs.play(project, jobId);
    case "erase":
      return jobs.erase(project, jobId);
    case "keep":
      return jobs.keepArtifacts(project, jobId);
  }
}
