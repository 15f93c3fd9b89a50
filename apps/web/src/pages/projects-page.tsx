// The projects this server knows that the visitor may see (anonymous: public ones).

import { ApiAlert } from "../components/api-alert.js";
import { timeAgo } from "../format.js";
import { paths } from "../route.js";
import { useSession } from "../session.js";
import { useAsync } from "../use-async.js";

/** The projects page. */
export function ProjectsPage() {
  const { client } = useSession();
  const projects = useAsync(
    (signal) => client.v4.projects.list({ perPage: 100, signal }).toArray(),
    [client],
  );
  return (
    <main id="content">
      <h1>Projects</h1>
      <ApiAlert error={projects.error} />
      {projects.value && projects.value.length === 0 && (
        <p>No projects to show. Sign in to see private ones.</p>
      )}
      <ul class="project-list">
        {projects.value?.map((p) => (
          <li key={p.id} data-testid="project">
            <a href={paths.pipelines(p.path_with_namespace)}>{p.name_with_namespace}</a>
            <span class="muted">
              {" "}
              · {p.visibility} · created {timeAgo(p.created_at)}
            </span>
            {p.description && <p>{p.description}</p>}
          </li>
        ))}
      </ul>
    </main>
  );
}
