// Renders the v4 `Entities::Ci::Pipeline` (single pipeline): PipelineBasic plus who ran it, when, and
// GitLab's `detailed_status` badge.

import type { Pipeline, PipelineEntity } from "@buildsim/core";
import { type PresentV4Options, presentPipelineBasicV4, presentUserV4 } from "./present-entities-v4.js";

/**
 * GitLab's status badge per status (lib/gitlab/ci/status/*.rb): label, text, icon and group;
 * `waiting_for_resource` shows as "Waiting" with the pending icon.
 */
const BADGES: Record<string, { label: string; text: string; icon: string; group: string }> = {
  created: { label: "created", text: "Created", icon: "created", group: "created" },
  pending: { label: "pending", text: "Pending", icon: "pending", group: "pending" },
  running: { label: "running", text: "Running", icon: "running", group: "running" },
  success: { label: "passed", text: "Passed", icon: "success", group: "success" },
  failed: { label: "failed", text: "Failed", icon: "failed", group: "failed" },
  canceled: { label: "canceled", text: "Canceled", icon: "canceled", group: "canceled" },
  skipped: { label: "skipped", text: "Skipped", icon: "skipped", group: "skipped" },
  manual: { label: "manual action", text: "Manual", icon: "manual", group: "manual" },
  scheduled: { label: "scheduled", text: "Scheduled", icon: "scheduled", group: "scheduled" },
  waiting_for_resource: {
    label: "waiting for resource",
    text: "Waiting",
    icon: "pending",
    group: "waiting-for-resource",
  },
};

/** `detailed_status` as GitLab's status presenters build it for a pipeline. */
function detailedStatus(p: Pipeline, projectPath: string): Record<string, unknown> {
  const badge = BADGES[p.status] ?? { label: p.status, text: p.status, icon: p.status, group: p.status };
  const path = `/${projectPath}/-/pipelines/${p.id}`;
  return {
    icon: `status_${badge.icon}`,
    text: badge.text,
    label: badge.label,
    group: badge.group,
    tooltip: badge.label,
    has_details: true,
    details_path: path,
    illustration: null,
    favicon: `/assets/ci_favicons/favicon_status_${badge.icon}.png`,
  };
}

/** The Pipeline entity for `p`. Throws if its project is missing (the schema forbids it). */
export function presentPipelineV4(p: Pipeline, o: PresentV4Options): PipelineEntity {
  const project = o.lookup.project(p.projectId);
  if (!project) throw new Error(`pipeline ${p.id} has no project`);
  const path = project.pathWithNamespace;
  const basic = presentPipelineBasicV4(p, path, o);
  const user = o.lookup.user(p.userId);
  const commit = o.lookup.commit(p.projectId, p.sha);
  const queuedDuration =
    p.startedAt !== null ? Math.max(0, (Date.parse(p.startedAt) - Date.parse(p.createdAt)) / 1000) : null;
  return {
    ...basic,
    before_sha: p.beforeSha ?? "0000000000000000000000000000000000000000",
    tag: p.tag,
    yaml_errors: null,
    user: user ? presentUserV4(user, o.webUrl) : null,
    started_at: p.startedAt,
    finished_at: p.finishedAt,
    committed_at: commit?.committedDate ?? null,
    duration: p.duration === null ? null : Math.round(p.duration),
    queued_duration: queuedDuration,
    coverage: p.coverage === null ? null : p.coverage.toFixed(2),
    detailed_status: detailedStatus(p, path),
  };
}
