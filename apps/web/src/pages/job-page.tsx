// One job: the live log (virtualized, ANSI colours, collapsible sections, line links, follow mode) and
// around it status, timing, runner, variables, artifacts and the actions the user may take. A retry
// moves the page to the new job.

import type { JobEntity } from "@buildsim/core";
import { useState } from "preact/hooks";
import { ApiAlert } from "../components/api-alert.js";
import { ArtifactsPanel } from "../components/artifacts-panel.js";
import { ACTION_LABELS, actionsFor, type JobAction, runJobAction } from "../components/job-actions.js";
import { JobVariables } from "../components/job-variables.js";
import { StatusBadge } from "../components/status-badge.js";
import { formatDuration, timeAgo } from "../format.js";
import { JobLog } from "../log/job-log.js";
import { navigate, paths } from "../route.js";
import { useSession } from "../session.js";
import { useAsync } from "../use-async.js";
import { useProject } from "../use-project.js";
import { useProjectEvents } from "../use-project-events.js";

function Fact({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The job page. */
export function JobPage({ project, id }: { project: string; id: number }) {
  const { client } = useSession();
  const projectState = useProject(project);
  const job = useAsync((signal) => client.v4.jobs.get(project, id, { signal }), [client, project, id]);
  const [actionError, setActionError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  useProjectEvents(projectState.value?.id, (events) => {
    if (events.some((e) => e.type === "connected" || (e.type === "job" && e.id === id))) job.reload();
  });

  const value: JobEntity | undefined = job.value;
  const abilities = projectState.abilities;
  const actions = value && abilities.updateJobs ? actionsFor(value) : [];
  const act = (action: JobAction) => {
    setActionError(null);
    setBusy(true);
    runJobAction(client, project, id, action).then(
      (result) => {
        setBusy(false);
        if (action === "retry" && result.id !== id) navigate(paths.job(project, result.id));
        else job.reload();
      },
      (e: unknown) => {
        setBusy(false);
        setActionError(e);
      },
    );
  };
  const running = value ? ["pending", "running", "created"].includes(value.status) : true;
  return (
    <main id="content" class="job-page">
      <div class="job-main">
        <p class="breadcrumb">
          <a href="/">Projects</a> / <a href={paths.pipelines(project)}>{project}</a>
          {value && (
            <>
              {" "}
              / <a href={paths.pipeline(project, value.pipeline.id)}>Pipeline #{value.pipeline.id}</a>
            </>
          )}{" "}
          / Job #{id}
        </p>
        <h1>
          {value ? value.name : `Job #${id}`}{" "}
          {value && <StatusBadge status={value.status} allowedFailure={value.allow_failure} />}
        </h1>
        <ApiAlert error={job.error} />
        <ApiAlert error={actionError} />
        {value?.erased_at && (
          <p class="alert">The log and artifacts of this job were erased {timeAgo(value.erased_at)}.</p>
        )}
        <JobLog project={project} jobId={id} running={running} onStatus={() => job.reload()} />
      </div>
      <aside class="job-sidebar" aria-label="Job details">
        {actions.length > 0 && (
          <div class="button-row" data-testid="job-actions">
            {actions.map((a) => (
              <button
                type="button"
                key={a}
                class={`btn${a === "cancel" || a === "erase" ? " btn-danger" : ""}`}
                disabled={busy}
                data-action={a}
                onClick={() => act(a)}
              >
                {ACTION_LABELS[a]}
              </button>
            ))}
          </div>
        )}
        {value && (
          <dl class="facts-list">
            <Fact label="Status">{value.status}</Fact>
            <Fact label="Duration">{formatDuration(value.duration) || "—"}</Fact>
            <Fact label="Queued">{formatDuration(value.queued_duration) || "—"}</Fact>
            <Fact label="Started">{value.started_at ? timeAgo(value.started_at) : "—"}</Fact>
            <Fact label="Finished">{value.finished_at ? timeAgo(value.finished_at) : "—"}</Fact>
            <Fact label="Runner">
              {value.runner ? `#${value.runner.id} ${value.runner.description}` : "—"}
            </Fact>
            <Fact label="Stage">{value.stage}</Fact>
            {value.coverage !== null && <Fact label="Coverage">{value.coverage}%</Fact>}
            {value.failure_reason && <Fact label="Failure reason">{value.failure_reason}</Fact>}
            {value.allow_failure && <Fact label="Allowed to fail">yes</Fact>}
          </dl>
        )}
        {value && <ArtifactsPanel client={client} project={project} job={value} />}
        {abilities.updateJobs && <JobVariables client={client} project={project} jobId={id} />}
      </aside>
    </main>
  );
}
