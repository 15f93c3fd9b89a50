// One pipeline: its status and facts, jobs in stage columns (or the `needs` view with dependency lines),
// retried jobs marked, manual jobs playable, downstream pipelines where the API has bridges, external CI's
// commit statuses in stage `external`, and the Tests tab with the JUnit reports' results. Live:
// the project's events socket triggers a refetch whenever one of this pipeline's jobs changes.

import { isClientError } from "@buildsim/client";
import type { JobEntity } from "@buildsim/core";
import { useState } from "preact/hooks";
import { ApiAlert } from "../components/api-alert.js";
import { CommitStatusCard, EXTERNAL_STAGE } from "../components/commit-status-card.js";
import { type JobAction, runJobAction } from "../components/job-actions.js";
import { JobCard } from "../components/job-card.js";
import { NeedsGraph } from "../components/needs-graph.js";
import { StatusBadge } from "../components/status-badge.js";
import { TestReportPanel } from "../components/test-report-panel.js";
import { formatDuration, shortSha, timeAgo } from "../format.js";
import { paths } from "../route.js";
import { useSession } from "../session.js";
import { useAsync } from "../use-async.js";
import { useProject } from "../use-project.js";
import { useProjectEvents } from "../use-project-events.js";

/** The newest job of each name, and the ids of the jobs they replaced. */
export function latestJobs(jobs: JobEntity[]): { latest: JobEntity[]; retried: JobEntity[] } {
  const newest = new Map<string, JobEntity>();
  for (const job of jobs) {
    const seen = newest.get(job.name);
    if (!seen || seen.id < job.id) newest.set(job.name, job);
  }
  const latest = jobs.filter((j) => newest.get(j.name) === j);
  return { latest, retried: jobs.filter((j) => newest.get(j.name) !== j) };
}

/** A rejection handler answering `value` for the API's 404 and rethrowing anything else. */
const notFoundAs =
  <T,>(value: T) =>
  (e: unknown): T => {
    if (isClientError(e, "not_found")) return value;
    throw e;
  };

/** The pipeline page. */
export function PipelinePage({ project, id }: { project: string; id: number }) {
  const { client } = useSession();
  const projectState = useProject(project);
  const [view, setView] = useState<"stages" | "needs" | "tests">("stages");
  const [actionError, setActionError] = useState<unknown>(null);
  const data = useAsync(
    async (signal) => {
      const pipelineRead = client.v4.pipelines.get(project, id, { signal });
      const [pipeline, jobs, needs, bridges, tests, statuses] = await Promise.all([
        pipelineRead,
        client.v4.jobs.listForPipeline(project, id, { includeRetried: true, perPage: 100, signal }).toArray(),
        client.buildsim.pipelineNeeds(project, id, { signal }).catch(() => []),
        // A server without bridges or test reports answers 404: nothing of that kind to show.
        client.v4.pipelines.bridges(project, id, { perPage: 100, signal }).toArray().catch(notFoundAs([])),
        client.v4.pipelines
          .testReportSummary(project, id, { signal })
          .then((s) => s.total.count, notFoundAs(0)),
        // The commit's statuses of this pipeline: its jobs and what external CI tools reported.
        pipelineRead.then((p) =>
          client.v4.commits
            .statuses(project, p.sha, { pipelineId: id, perPage: 100, signal })
            .toArray()
            .catch(notFoundAs([])),
        ),
      ]);
      return { pipeline, jobs, needs, bridges, tests, statuses };
    },
    [client, project, id],
  );
  useProjectEvents(projectState.value?.id, (events) => {
    if (
      events.some((e) => e.type === "connected" || (e.type === "job" ? e.pipeline_id === id : e.id === id))
    ) {
      data.reload();
    }
  });

  const onAction = (job: JobEntity, action: JobAction) => {
    setActionError(null);
    runJobAction(client, project, job.id, action).then(() => data.reload(), setActionError);
  };

  const value = data.value;
  const canUpdate = projectState.abilities.updateJobs;
  const { latest, retried } = latestJobs(value?.jobs ?? []);
  // A retried trigger job is listed too: show the newest of each name, as for jobs.
  const bridges = (value?.bridges ?? []).filter(
    (b, _, all) => !all.some((o) => o.name === b.name && o.id > b.id),
  );
  // A pipeline's jobs and trigger jobs are created stage by stage, so ids give the stage order; a stage may
  // hold only trigger jobs.
  // Commit statuses that are no job nor trigger job: what external CI tools reported, in stage `external`.
  const known = new Set([...(value?.jobs ?? []), ...(value?.bridges ?? [])].map((j) => j.id));
  const external = (value?.statuses ?? []).filter((s) => !known.has(s.id)).sort((a, b) => a.id - b.id);
  const stages = [
    ...new Set([...(value?.jobs ?? []), ...bridges].sort((a, b) => a.id - b.id).map((j) => j.stage)),
    ...(external.length > 0 ? [EXTERNAL_STAGE] : []),
  ];
  const pipeline = value?.pipeline;
  return (
    <main id="content">
      <p class="breadcrumb">
        <a href="/">Projects</a> / <a href={paths.pipelines(project)}>{project}</a> / Pipelines
      </p>
      <h1>
        Pipeline #{id} {pipeline && <StatusBadge status={pipeline.status} />}
      </h1>
      <ApiAlert error={projectState.error ?? data.error} />
      <ApiAlert error={actionError} />
      {pipeline && (
        <p class="facts">
          <span class="ref">{pipeline.ref}</span> <code>{shortSha(pipeline.sha)}</code> · {pipeline.source}
          {pipeline.duration !== null && <> · {formatDuration(pipeline.duration)}</>}
          {pipeline.finished_at && <> · finished {timeAgo(pipeline.finished_at)}</>}
          {pipeline.user && <> · by {pipeline.user.name}</>}
        </p>
      )}
      <div class="tabs" role="tablist" aria-label="Pipeline views">
        <button type="button" role="tab" aria-selected={view === "stages"} onClick={() => setView("stages")}>
          Stages
        </button>
        <button type="button" role="tab" aria-selected={view === "needs"} onClick={() => setView("needs")}>
          Job dependencies
        </button>
        <button type="button" role="tab" aria-selected={view === "tests"} onClick={() => setView("tests")}>
          Tests <span class="count">{value?.tests ?? 0}</span>
        </button>
      </div>
      {value && view === "stages" && (
        <div class="pipeline-graph" data-testid="pipeline-graph">
          {stages.map((stage) => (
            <section class="stage" key={stage} aria-label={`Stage ${stage}`}>
              <h2 class="stage-name">{stage}</h2>
              <ul class="stage-jobs">
                {latest
                  .filter((j) => j.stage === stage)
                  .map((job) => (
                    <JobCard
                      key={job.id}
                      project={project}
                      job={job}
                      retried={false}
                      canUpdate={canUpdate}
                      onAction={onAction}
                    />
                  ))}
                {bridges
                  .filter((b) => b.stage === stage)
                  .map((bridge) => (
                    <li class="job-card" key={`bridge-${bridge.id}`} data-testid="bridge-card">
                      <StatusBadge status={bridge.status} compact />
                      <span class="job-name">{bridge.name}</span>
                    </li>
                  ))}
                {stage === EXTERNAL_STAGE &&
                  external.map((status) => <CommitStatusCard key={`status-${status.id}`} status={status} />)}
              </ul>
            </section>
          ))}
          {bridges.some((b) => b.downstream_pipeline) && (
            <section class="stage" aria-label="Downstream pipelines">
              <h2 class="stage-name">Downstream</h2>
              <ul class="stage-jobs">
                {bridges
                  .filter((b) => b.downstream_pipeline)
                  .map((b) => {
                    const d = b.downstream_pipeline!;
                    return (
                      <li class="job-card downstream" key={d.id} data-testid="downstream-pipeline">
                        <a href={d.web_url ? new URL(d.web_url).pathname : "#"} class="job-link">
                          <StatusBadge status={d.status} compact />
                          <span class="job-name">
                            {b.name} #{d.id}
                          </span>
                        </a>
                      </li>
                    );
                  })}
              </ul>
            </section>
          )}
        </div>
      )}
      {value && view === "needs" && (
        <NeedsGraph
          project={project}
          jobs={latest}
          needs={value.needs}
          stages={stages}
          canUpdate={canUpdate}
          onAction={onAction}
        />
      )}
      {view === "tests" && (
        <TestReportPanel client={client} project={project} pipelineId={id} version={value?.jobs} />
      )}
      {retried.length > 0 && view !== "tests" && (
        <section aria-label="Retried jobs">
          <h2>Retried jobs</h2>
          <ul class="stage-jobs retried-list">
            {retried.map((job) => (
              <JobCard
                key={job.id}
                project={project}
                job={job}
                retried
                canUpdate={false}
                onAction={onAction}
              />
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
