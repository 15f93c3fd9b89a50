// Renders the v4 `Entities::Ci::Pipeline` (single pipeline): PipelineBasic plus who ran it, when, and
// GitLab's `detailed_status` badge.

import type { Pipeline, PipelineEntity } from "@buildsim/core";
import { type PresentV4Options, presentPipelineBasicV4, presentUserV4 } from "./present-entities-v4.js";

/** The label GitLab's status badge shows for a status. */
const LABELS: Record<string, string> = {
  created: "created",
  pending: "pending",
  running: "running",
  success: "passed",
  failed: "failed",
  canceled: "canceled",
  skipped: "skipped",
  manual: "manual action",
};

/** `detailed_status` as GitLab's status presenters build it for a pipeline. */
function detailedStatus(p: Pipeline, projectPath: string): Record<string, unknown> {
  const label = LABELS[p.status] ?? p.status;
  const path = `/${projectPath}/-/pipelines/${p.id}`;
  return {
    icon: `status_${p.status}`,
    text: label === "manual action" ? "Manual" : label.charAt(0).toUpperCase() + label.slice(1),
    label,
    group: p.status,
    tooltip: label,
    has_details: true,
    details_path: path,
    illustration: null,
    favicon: `/assets/ci_favicons/favicon_status_${p.status}.png`,
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
