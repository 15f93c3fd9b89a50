// A job's artifacts: download the archive, or browse its files and download one. The archive comes
// through the API client (so the token goes with it); the zip reader loads only when browsing.

import type { Client } from "@buildsim/client";
import type { JobEntity } from "@buildsim/core";
import { useState } from "preact/hooks";
import { ApiAlert } from "./api-alert.js";

function saveBytes(bytes: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The artifacts box of the job page. */
export function ArtifactsPanel({
  client,
  project,
  job,
}: {
  client: Client;
  project: string;
  job: JobEntity;
}) {
  const [files, setFiles] = useState<Record<string, Uint8Array> | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!job.artifacts_file) return null;
  const archive = () => client.v4.jobs.artifacts(project, job.id);
  return (
    <section class="sidebar-block" aria-label="Job artifacts">
      <h2>Job artifacts</h2>
      <ApiAlert error={error} />
      {job.artifacts_expire_at && (
        <p class="muted">
          Expire{" "}
          <time dateTime={job.artifacts_expire_at}>
            {new Date(job.artifacts_expire_at).toLocaleString("en")}
          </time>
        </p>
      )}
      <div class="button-row">
        <button
          type="button"
          class="btn btn-small"
          onClick={() => archive().then((b) => saveBytes(b, job.artifacts_file!.filename), setError)}
        >
          Download
        </button>
        <button
          type="button"
          class="btn btn-small"
          onClick={async () => {
            try {
              const [{ unzipSync }, bytes] = await Promise.all([import("fflate"), archive()]);
              setFiles(unzipSync(bytes));
            } catch (e) {
              setError(e);
            }
          }}
        >
          Browse
        </button>
      </div>
      {files && (
        <ul class="artifact-files" data-testid="artifact-files">
          {Object.keys(files)
            .filter((name) => !name.endsWith("/"))
            .sort()
            .map((name) => (
              <li key={name}>
                <button
                  type="button"
                  class="link-button"
                  onClick={() => saveBytes(files[name]!, name.split("/").pop()!)}
                >
                  {name}
                </button>{" "}
                <span class="muted">{files[name]!.byteLength} B</span>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
