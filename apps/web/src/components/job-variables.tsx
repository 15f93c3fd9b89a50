// The variables a job saw (buildsim's read; Developers and above), masked ones shown as hidden.

import type { Client } from "@buildsim/client";
import { useAsync } from "../use-async.js";

/** The variables box of the job page. */
export function JobVariables({ client, project, jobId }: { client: Client; project: string; jobId: number }) {
  const vars = useAsync(
    (signal) => client.buildsim.jobVariables(project, jobId, { signal }),
    [client, project, jobId],
  );
  if (!vars.value) return null;
  return (
    <details class="sidebar-block">
      <summary>Variables ({vars.value.length})</summary>
      <dl class="variables" data-testid="job-variables">
        {vars.value.map((v) => (
          <div key={v.key}>
            <dt>{v.key}</dt>
            <dd>{v.masked ? <span class="masked">[MASKED]</span> : v.value}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
