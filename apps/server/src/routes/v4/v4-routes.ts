// Every v4 route buildsim serves, mounted under /api/v4: the Jobs API on the same builds v3 serves, plus
// what real clients call around it (user, version, project, pipelines).

import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import { createPipelineRoute } from "./create-pipeline-route.js";
import { getEnvironment, listEnvironments, stopEnvironmentRoute } from "./environment-routes.js";
import { getCurrentUser, getVersion } from "./instance-routes.js";
import {
  cancelJob,
  deleteJobArtifactsRoute,
  eraseJob,
  keepJobArtifacts,
  playJob,
  retryJob,
} from "./job-action-routes.js";
import {
  downloadRefArtifactFile,
  downloadRefArtifacts,
  getJob,
  getJobArtifactFile,
  getJobArtifacts,
  getJobTrace,
} from "./job-routes.js";
import { listPipelineJobs, listProjectJobs } from "./list-jobs.js";
import { getPipeline, listProjectPipelines } from "./pipeline-routes.js";
import { getProjectWithAccess, listProjects } from "./project-list-routes.js";
import { getCiYmlTemplate, getRawRepositoryFile } from "./repository-file-routes.js";
import { listAllRunners, listOwnedRunners, listRunnerJobs } from "./runner-routes.js";

/**
 * Adds the v4 routes. The by-ref artifact routes come first: `ref_name` may contain slashes, and the
 * raw route's two wildcards must not be read as `/jobs/:job_id/artifacts/*artifact_path`.
 */
export function addV4Routes(router: Router<RouteHandler>): void {
  const p = "/api/v4/projects/:id";
  router
    .add("GET", "/api/v4/user", getCurrentUser)
    .add("GET", "/api/v4/version", getVersion)
    .add("GET", "/api/v4/projects", listProjects)
    .add("GET", "/api/v4/runners", listOwnedRunners)
    .add("GET", "/api/v4/runners/all", listAllRunners)
    .add("GET", "/api/v4/runners/:id/jobs", listRunnerJobs)
    .add("GET", `${p}/jobs/artifacts/*ref_name/raw/*artifact_path`, downloadRefArtifactFile)
    .add("GET", `${p}/jobs/artifacts/*ref_name/download`, downloadRefArtifacts)
    .add("GET", `${p}/repository/files/*file_path/raw`, getRawRepositoryFile)
    .add("GET", "/api/v4/templates/gitlab_ci_ymls/*key", getCiYmlTemplate)
    .add("GET", p, getProjectWithAccess)
    .add("GET", `${p}/pipelines`, listProjectPipelines)
    .add("POST", `${p}/pipeline`, createPipelineRoute)
    .add("GET", `${p}/pipelines/:pipeline_id`, getPipeline)
    .add("GET", `${p}/pipelines/:pipeline_id/jobs`, listPipelineJobs)
    .add("GET", `${p}/environments`, listEnvironments)
    .add("GET", `${p}/environments/:environment_id`, getEnvironment)
    .add("POST", `${p}/environments/:environment_id/stop`, stopEnvironmentRoute)
    .add("GET", `${p}/jobs`, listProjectJobs)
    .add("GET", `${p}/jobs/:job_id`, getJob)
    .add("GET", `${p}/jobs/:job_id/trace`, getJobTrace)
    .add("GET", `${p}/jobs/:job_id/artifacts`, getJobArtifacts)
    .add("GET", `${p}/jobs/:job_id/artifacts/*artifact_path`, getJobArtifactFile)
    .add("DELETE", `${p}/jobs/:job_id/artifacts`, deleteJobArtifactsRoute)
    .add("POST", `${p}/jobs/:job_id/cancel`, cancelJob)
    .add("POST", `${p}/jobs/:job_id/retry`, retryJob)
    .add("POST", `${p}/jobs/:job_id/erase`, eraseJob)
    .add("POST", `${p}/jobs/:job_id/play`, playJob)
    .add("POST", `${p}/jobs/:job_id/artifacts/keep`, keepJobArtifacts);
}
