// The v4 `CommitStatus` entity: any job of a pipeline (CI job, trigger job or external status), as the
// commit statuses API lists them (lib/api/entities/commit_status.rb).

import type { Build, CommitStatusEntity, User } from "@buildsim/core";
import { presentUserV4 } from "./present-entities-v4.js";

/** `API::Entities::CommitStatus`, keys in GitLab's order. */
export function presentCommitStatusV4(
  build: Build,
  author: User | undefined,
  webUrl: string,
): CommitStatusEntity {
  return {
    id: build.id,
    sha: build.sha,
    ref: build.ref,
    status: build.status,
    name: build.name,
    target_url: build.external?.targetUrl ?? null,
    description: build.external?.description ?? null,
    created_at: build.createdAt,
    started_at: build.startedAt,
    finished_at: build.finishedAt,
    allow_failure: build.allowFailure,
    coverage: build.coverage,
    pipeline_id: build.pipelineId,
    author: author ? presentUserV4(author, webUrl) : null,
  };
}
