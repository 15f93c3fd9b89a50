// A project's pipelines, newest first: status, id, ref, short sha, commit title, source, duration and
// finished time; filtered by status and ref (kept in the URL), paginated with GitLab's headers.

import type { PipelineBasicEntity } from "@buildsim/core";
import { useState } from "preact/hooks";
import { ApiAlert } from "../components/api-alert.js";
import { StatusBadge } from "../components/status-badge.js";
import { formatDuration, shortSha, timeAgo } from "../format.js";
import { navigate, paths } from "../route.js";
import { useSession } from "../session.js";
import { useAsync } from "../use-async.js";
import { useProject } from "../use-project.js";
import { useProjectEvents } from "../use-project-events.js";

const STATUSES = [
  "created",
  "pending",
  "running",
  "success",
  "failed",
  "canceled",
  "skipped",
  "manual",
  "scheduled",
];
const PER_PAGE = 20;

function PipelineRow({
  project,
  pipeline,
  version,
}: {
  project: string;
  pipeline: PipelineBasicEntity;
  version: number;
}) {
  const { client } = useSession();
  // The list entity lacks duration, finish time and commit: the single pipeline and its first job carry them.
  const detail = useAsync(
    async (signal) => {
      const [full, jobs] = await Promise.all([
        client.v4.pipelines.get(project, pipeline.id, { signal }),
        client.v4.jobs.listForPipeline(project, pipeline.id, { perPage: 1, signal }).fetchPage(),
      ]);
      return { full, commit: jobs.items[0]?.commit ?? null };
    },
    [client, project, pipeline.id, pipeline.status, version],
  );
  const full = detail.value?.full;
  return (
    <tr data-testid="pipeline-row">
      <td>
        <a href={paths.pipeline(project, pipeline.id)}>
          <StatusBadge status={pipeline.status} />
        </a>
      </td>
      <td>
        <a href={paths.pipeline(project, pipeline.id)}>#{pipeline.id}</a>
        <div class="muted">{pipeline.source ?? full?.source ?? ""}</div>
      </td>
      <td>
        <span class="ref">{pipeline.ref}</span> <code>{shortSha(pipeline.sha)}</code>
        <div class="commit-title">{detail.value?.commit?.title ?? ""}</div>
      </td>
      <td>{formatDuration(full?.duration ?? null)}</td>
      <td>{full?.finished_at ? <time dateTime={full.finished_at}>{timeAgo(full.finished_at)}</time> : ""}</td>
    </tr>
  );
}

/** The pipelines page. */
export function PipelinesPage({ project }: { project: string }) {
  const { client } = useSession();
  const projectState = useProject(project);
  const query = new URLSearchParams(location.search);
  const status = query.get("status") ?? "";
  const ref = query.get("ref") ?? "";
  const page = Math.max(1, Number(query.get("page") ?? "1") || 1);
  const [refInput, setRefInput] = useState(ref);
  const [version, setVersion] = useState(0);
  const list = useAsync(
    (signal) =>
      client.v4.pipelines
        .list(project, {
          page,
          perPage: PER_PAGE,
          ...(status ? { status } : {}),
          ...(ref ? { ref } : {}),
          signal,
        })
        .fetchPage(),
    [client, project, status, ref, page, version],
  );
  useProjectEvents(projectState.value?.id, (events) => {
    if (events.some((e) => e.type !== "job")) setVersion((v) => v + 1);
  });
  const go = (next: Record<string, string>) => {
    const q = new URLSearchParams({ status, ref, page: String(page), ...next });
    for (const [k, v] of [...q]) if (!v || (k === "page" && v === "1")) q.delete(k);
    const s = q.toString();
    navigate(`${paths.pipelines(project)}${s ? `?${s}` : ""}`);
  };
  const pagination = list.value?.pagination;
  return (
    <main id="content">
      <p class="breadcrumb">
        <a href="/">Projects</a> / {project}
      </p>
      <h1>Pipelines</h1>
      <ApiAlert error={projectState.error ?? list.error} />
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          go({ ref: refInput.trim(), page: "1" });
        }}
      >
        <label for="status-filter">Status</label>
        <select
          id="status-filter"
          value={status}
          onChange={(e) => go({ status: (e.target as HTMLSelectElement).value, page: "1" })}
        >
          <option value="">All</option>
          {STATUSES.map((s) => (
            <option value={s} key={s}>
              {s}
            </option>
          ))}
        </select>
        <label for="ref-filter">Branch or tag</label>
        <input
          id="ref-filter"
          value={refInput}
          onInput={(e) => setRefInput((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="btn btn-small">
          Filter
        </button>
      </form>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Pipeline</th>
            <th scope="col">Commit</th>
            <th scope="col">Duration</th>
            <th scope="col">Finished</th>
          </tr>
        </thead>
        <tbody>
          {list.value?.items.map((p) => (
            <PipelineRow project={project} pipeline={p} version={version} key={p.id} />
          ))}
        </tbody>
      </table>
      {list.value && list.value.items.length === 0 && <p>There are no pipelines to show.</p>}
      {pagination && (pagination.nextPage !== null || pagination.prevPage !== null) && (
        <nav class="pagination" aria-label="Pagination">
          <button
            type="button"
            class="btn btn-small"
            disabled={pagination.prevPage === null}
            onClick={() => go({ page: String(page - 1) })}
          >
            Prev
          </button>
          <span>
            Page {page}
            {pagination.totalPages ? ` of ${pagination.totalPages}` : ""}
          </span>
          <button
            type="button"
            class="btn btn-small"
            disabled={pagination.nextPage === null}
            onClick={() => go({ page: String(page + 1) })}
          >
            Next
          </button>
        </nav>
      )}
    </main>
  );
}
