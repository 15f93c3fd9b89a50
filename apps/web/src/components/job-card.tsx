// One job in the pipeline graph: status icon, name (a link to the job page), duration, the retried and
// allowed-to-fail marks, and the play / retry / cancel button GitLab puts on the card.

import type { JobEntity } from "@buildsim/core";
import { formatDuration } from "../format.js";
import { paths } from "../route.js";
import { ACTION_LABELS, actionsFor, type JobAction } from "./job-actions.js";
import { StatusBadge } from "./status-badge.js";

interface JobCardProps {
  project: string;
  job: JobEntity;
  retried: boolean;
  canUpdate: boolean;
  onAction: (job: JobEntity, action: JobAction) => void;
  cardRef?: (el: HTMLElement | null) => void;
}

/** A job card. */
export function JobCard({ project, job, retried, canUpdate, onAction, cardRef }: JobCardProps) {
  const action =
    canUpdate && !retried ? actionsFor(job).find((a) => a !== "erase" && a !== "keep") : undefined;
  const allowedFailure = job.allow_failure && job.status === "failed";
  return (
    <li
      class={`job-card${retried ? " job-retried" : ""}`}
      ref={cardRef}
      data-testid="job-card"
      data-job={job.name}
    >
      <a href={paths.job(project, job.id)} class="job-link">
        <StatusBadge status={job.status} allowedFailure={job.allow_failure} compact />
        <span class="job-name">{job.name}</span>
      </a>
      <span class="job-meta">
        {job.duration !== null && <span>{formatDuration(job.duration)}</span>}
        {retried && <span class="mark">retried</span>}
        {allowedFailure && <span class="mark mark-warning">allowed to fail</span>}
      </span>
      {action && (
        <button
          type="button"
          class="btn btn-icon"
          aria-label={`${ACTION_LABELS[action]} ${job.name}`}
          title={ACTION_LABELS[action]}
          data-action={action}
          onClick={() => onAction(job, action as JobAction)}
        >
          {action === "play" ? "▶" : action === "retry" ? "↻" : "✕"}
        </button>
      )}
    </li>
  );
}
