// Runners: online or offline, and the job each is running. Admins see every runner (`/runners/all`),
// others the runners of their projects (`/runners`).

import type { RunnerEntity } from "@buildsim/core";
import { ApiAlert } from "../components/api-alert.js";
import { StatusBadge } from "../components/status-badge.js";
import { useSession } from "../session.js";
import { useAsync } from "../use-async.js";

function CurrentJobs({ runner }: { runner: RunnerEntity }) {
  const { client } = useSession();
  const jobs = useAsync(
    (signal) => client.v4.runners.jobs(runner.id, { status: "running", signal }).toArray(),
    [client, runner.id],
  );
  if (jobs.error) return <span class="muted">—</span>;
  if (!jobs.value || jobs.value.length === 0) return <span class="muted">idle</span>;
  return (
    <ul class="plain-list">
      {jobs.value.map((job) => (
        <li key={job.id}>
          <a href={new URL(job.web_url).pathname}>
            {job.name} #{job.id}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The runners page. */
export function RunnersPage() {
  const { client, user } = useSession();
  const runners = useAsync(
    (signal) =>
      user?.is_admin
        ? client.v4.runners.listAll({ perPage: 100, signal }).toArray()
        : client.v4.runners.list({ perPage: 100, signal }).toArray(),
    [client, user],
  );
  return (
    <main id="content">
      <h1>Runners</h1>
      {!user && <p>Sign in to see runners.</p>}
      {user && <ApiAlert error={runners.error} />}
      {user && runners.value && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Runner</th>
              <th scope="col">Type</th>
              <th scope="col">Current job</th>
            </tr>
          </thead>
          <tbody>
            {runners.value.map((r) => (
              <tr key={r.id} data-testid="runner-row">
                <td>
                  <StatusBadge status={r.online ? "online" : "offline"} />
                </td>
                <td>
                  #{r.id} {r.description}
                </td>
                <td>{r.runner_type ?? (r.is_shared ? "instance_type" : "project_type")}</td>
                <td>
                  <CurrentJobs runner={r} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {user && runners.value?.length === 0 && <p>No runners.</p>}
    </main>
  );
}
