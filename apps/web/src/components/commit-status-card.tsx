// An external CI's commit status in the pipeline graph (stage `external`), linking to its `target_url` as
// GitLab's pipeline graph does; only http(s) targets become links.

import type { CommitStatusEntity } from "@buildsim/core";
import { StatusBadge } from "./status-badge.js";

/** GitLab puts every commit status of a pipeline in this stage (`stage_idx` 1000000: always last). */
export const EXTERNAL_STAGE = "external";

/** `url` when it is an http(s) URL, else null: a `javascript:` target must never become a link. */
export function safeTargetUrl(url: string | null): string | null {
  if (url === null) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** One commit status: its status and name, a link to the external CI's page when it gave one. */
export function CommitStatusCard({ status }: { status: CommitStatusEntity }) {
  const href = safeTargetUrl(status.target_url);
  const face = (
    <>
      <StatusBadge status={status.status} compact />
      <span class="job-name">{status.name}</span>
    </>
  );
  return (
    <li class="job-card" data-testid="commit-status-card" title={status.description ?? undefined}>
      {href ? (
        <a href={href} class="job-link" target="_blank" rel="noopener noreferrer">
          {face}
        </a>
      ) : (
        face
      )}
    </li>
  );
}
