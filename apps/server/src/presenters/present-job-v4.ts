// Renders the v4 `Entities::Ci::Job` of current GitLab: JobBasic's keys, then Job's, in GitLab's order;
// `failure_reason` only for failed jobs and `artifacts_file` only while there are unexpired artifacts.

import {
  type Build,
  buildDuration,
  buildQueuedDuration,
  hasArtifacts,
  hasTrace,
  isCompletedStatus,
  type JobArtifactEntity,
  type JobBasicEntity,
  type JobEntity,
} from "@buildsim/core";
import {
  type PresentV4Options,
  presentCommitV4,
  presentPipelineBasicV4,
  presentRunnerV4,
  presentUserV4,
} from "./present-entities-v4.js";

/** GitLab stores a finished job's log as a `trace` job artifact named `job.log`. */
const TRACE_FILENAME = "job.log";

/**
 * The `artifacts` array, in upload order: the archive while it is available, the junit report, and the
 * archived log of a finished job.
 */
function jobArtifacts(build: Build, o: PresentV4Options): JobArtifactEntity[] {
  const out: JobArtifactEntity[] = [];
  if (build.artifactsFile && hasArtifacts(build, o.now))
    out.push({
      file_type: "archive",
      size: build.artifactsFile.size,
      filename: build.artifactsFile.filename,
      file_format: "zip",
    });
  const junit = o.lookup.testReportFile(build.id);
  if (junit)
    out.push({ file_type: "junit", size: junit.size, filename: junit.filename, file_format: "gzip" });
  if (isCompletedStatus(build.status) && hasTrace(build))
    out.push({ file_type: "trace", size: build.trace.bytes, filename: TRACE_FILENAME, file_format: null });
  return out;
}

/**
 * `Entities::Ci::JobBasic` for `build` (a job or a trigger job). Throws if its project or pipeline is
 * missing (the schema forbids both).
 */
export function presentJobBasicV4(build: Build, o: PresentV4Options): JobBasicEntity {
  const project = o.lookup.project(build.projectId);
  const pipeline = o.lookup.pipeline(build.pipelineId);
  if (!project || !pipeline) throw new Error(`job ${build.id} has no project or pipeline`);
  const path = project.pathWithNamespace;
  const userRec = o.lookup.user(build.userId);
  const commitRec = o.lookup.commit(build.projectId, build.sha);
  const job: JobBasicEntity = {
    id: build.id,
    status: build.status,
    stage: build.stage,
    name: build.name,
    ref: build.ref,
    tag: build.tag,
    coverage: build.coverage,
    allow_failure: build.allowFailure,
    created_at: build.createdAt,
    started_at: build.startedAt,
    finished_at: build.finishedAt,
    erased_at: build.erasedAt,
    duration: buildDuration(build, o.now),
    queued_duration: buildQueuedDuration(build, o.now),
    user: userRec ? presentUserV4(userRec, o.webUrl) : null,
    commit: commitRec ? presentCommitV4(commitRec, path, o.webUrl) : null,
    pipeline: presentPipelineBasicV4(pipeline, path, o),
  } as JobBasicEntity;
  if (build.status === "failed") job.failure_reason = build.failureReason ?? "unknown_failure";
  job.web_url = `${o.webUrl}/${path}/-/jobs/${build.id}`;
  job.project = { ci_job_token_scope_enabled: false };
  return job;
}

/** The Job entity for `build`: JobBasic, then the artifacts, runner and tags. */
export function presentJobV4(build: Build, o: PresentV4Options): JobEntity {
  const runnerRec = o.lookup.runner(build.runnerId);
  const job = presentJobBasicV4(build, o) as JobEntity;
  if (build.artifactsFile && hasArtifacts(build, o.now))
    job.artifacts_file = { filename: build.artifactsFile.filename, size: build.artifactsFile.size };
  job.artifacts = jobArtifacts(build, o);
  job.runner = runnerRec ? presentRunnerV4(runnerRec, o.now) : null;
  job.runner_manager = null;
  job.artifacts_expire_at = build.artifactsExpireAt;
  job.archived = false;
  job.tag_list = [...build.tagList].sort();
  return job;
}
