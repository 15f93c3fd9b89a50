// A status as GitLab draws it: a coloured icon and the status name, for jobs and pipelines alike,
// including the statuses newer pipelines have (scheduled, waiting_for_resource, preparing).

const ICONS: Readonly<Record<string, string>> = {
  success: "✓",
  failed: "✕",
  running: "◔",
  pending: "◌",
  created: "○",
  canceled: "⊘",
  skipped: "»",
  manual: "⚙",
  scheduled: "⏱",
  waiting_for_resource: "⏸",
  preparing: "◌",
  online: "●",
  offline: "○",
};

/** GitLab's label for a status ("passed" for success, as on its badges). */
export function statusLabel(status: string): string {
  if (status === "success") return "passed";
  if (status === "waiting_for_resource") return "waiting";
  return status;
}

interface StatusBadgeProps {
  status: string;
  /** A failure that was allowed: GitLab shows it as a warning. */
  allowedFailure?: boolean;
  /** Icon only (job cards), with the name for screen readers. */
  compact?: boolean;
}

/** The status icon (and name unless compact). */
export function StatusBadge({ status, allowedFailure = false, compact = false }: StatusBadgeProps) {
  const kind = allowedFailure && status === "failed" ? "warning" : status;
  const label = allowedFailure && status === "failed" ? "failed (allowed to fail)" : statusLabel(status);
  return (
    <span
      class={`status status-${kind}${compact ? " status-compact" : ""}`}
      data-status={status}
      title={label}
    >
      <span class="status-icon" aria-hidden="true">
        {ICONS[status] ?? "?"}
      </span>
      {compact ? <span class="sr-only">{label}</span> : <span class="status-name">{label}</span>}
    </span>
  );
}
