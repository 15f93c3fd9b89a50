// Every v4 route buildsim serves, mounted under /api/v4, with its OpenAPI contract: the Jobs API on the
// same builds v3 serves (https://docs.gitlab.com/ee/api/jobs.html), plus what real clients call around it
// (user, version, project, pipelines).

import {
  BridgeEntitySchema,
  CreatePipelineParamsSchema,
  JobEntitySchema,
  PipelineBasicEntitySchema,
  PipelineEntitySchema,
  PipelineListParamsSchema,
  ProjectEntitySchema,
  ProtectedBranchEntitySchema,
  RunnerEntitySchema,
  TestReportEntitySchema,
  TestReportSummaryEntitySchema,
  UserEntityV4Schema,
  V4BridgeListParamsSchema,
  V4JobListParamsSchema,
  VersionEntitySchema,
} from "@buildsim/core";
import { Type } from "@sinclair/typebox";
import { empty, file, json, type RouteSpec, text } from "../../http/route-spec.js";
import type { Router } from "../../http/router.js";
import type { RouteHandler } from "../route-handler.js";
import { addCommitStatusRoutes } from "./commit-status-routes.js";
import { createPipelineRoute } from "./create-pipeline-route.js";
import { deletePipelineRoute } from "./delete-pipeline-route.js";
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
import { listPipelineBridges, listPipelineJobs, listProjectJobs } from "./list-jobs.js";
import { cancelPipeline, retryPipeline } from "./pipeline-action-routes.js";
import { getLatestPipeline, getPipelineVariables } from "./pipeline-extra-routes.js";
import { getPipeline, listProjectPipelines } from "./pipeline-routes.js";
import { getProjectWithAccess, listProjects } from "./project-list-routes.js";
import { deleteRunnerRoute, listProjectRunners } from "./project-runner-routes.js";
import {
  createProtectedBranch,
  deleteProtectedBranch,
  getProtectedBranch,
  listProtectedBranches,
} from "./protected-branch-routes.js";
import { getCiYmlTemplate, getRawRepositoryFile } from "./repository-file-routes.js";
import {
  getResourceGroup,
  listResourceGroups,
  listUpcomingJobs,
  updateResourceGroup,
} from "./resource-group-routes.js";
import { listAllRunners, listOwnedRunners, listRunnerJobs } from "./runner-routes.js";
import { getPipelineTestReport, getPipelineTestReportSummary } from "./test-report-routes.js";
import { addTriggerRoutes } from "./trigger-routes.js";
import {
  createVariable,
  deleteVariable,
  getVariable,
  listVariables,
  updateVariable,
} from "./variable-routes.js";

const jobs = json("The jobs, newest first (paginated, `Link` header)", Type.Array(JobEntitySchema));
const job = (status: 200 | 201, description: string) => ({ [status]: json(description, JobEntitySchema) });
// Entities not yet written as schemas in core: any JSON object (the OpenAPI document says so).
const loose = json("The entity", Type.Record(Type.String(), Type.Unknown()));
const looseList = json("The entities", Type.Array(Type.Record(Type.String(), Type.Unknown())));
const byRef = Type.Object({ job: Type.String({ description: "The job's name" }) });
const v4 = (summary: string, responses: RouteSpec["responses"], params?: RouteSpec["params"]): RouteSpec => ({
  summary,
  api: "v4",
  responses,
  ...(params ? { params } : {}),
});

/**
 * Adds the v4 routes. The by-ref artifact routes come first: `ref_name` may contain slashes, and the
 * raw route's two wildcards must not be read as `/jobs/:job_id/artifacts/*artifact_path`.
 */
export function addV4Routes(router: Router<RouteHandler>): void {
  const p = "/api/v4/projects/:id";
  const j = `${p}/jobs/:job_id`;
  addTriggerRoutes(router);
  addCommitStatusRoutes(router);
  router
    .add(
      "GET",
      "/api/v4/user",
      getCurrentUser,
      v4("The signed-in user", { 200: json("The user", UserEntityV4Schema) }),
    )
    .add(
      "GET",
      "/api/v4/version",
      getVersion,
      v4("The GitLab version served", { 200: json("The version", VersionEntitySchema) }),
    )
    .add(
      "GET",
      "/api/v4/projects",
      listProjects,
      v4("List projects the caller can see", {
        200: json("The projects (paginated)", Type.Array(ProjectEntitySchema)),
      }),
    )
    .add(
      "GET",
      "/api/v4/runners",
      listOwnedRunners,
      v4("List the caller's runners", { 200: json("The runners", Type.Array(RunnerEntitySchema)) }),
    )
    .add(
      "GET",
      "/api/v4/runners/all",
      listAllRunners,
      v4("List all runners (admins)", { 200: json("The runners", Type.Array(RunnerEntitySchema)) }),
    )
    .add("GET", "/api/v4/runners/:id/jobs", listRunnerJobs, v4("List a runner's jobs", { 200: jobs }))
    .add("DELETE", "/api/v4/runners/:id", deleteRunnerRoute, v4("Delete a runner", { 204: empty("Deleted") }))
    .add(
      "GET",
      `${p}/runners`,
      listProjectRunners,
      v4("List project's runners", {
        200: json("The project's and the shared runners (paginated)", Type.Array(RunnerEntitySchema)),
      }),
    )
    .add(
      "GET",
      `${p}/jobs/artifacts/*ref_name/raw/*artifact_path`,
      downloadRefArtifactFile,
      v4(
        "Download one file from the artifacts of a ref's latest successful job",
        { 200: file("The file") },
        byRef,
      ),
    )
    .add(
      "GET",
      `${p}/jobs/artifacts/*ref_name/download`,
      downloadRefArtifacts,
      v4(
        "Download the artifacts archive of a ref's latest successful job",
        { 200: file("The archive") },
        byRef,
      ),
    )
    .add(
      "GET",
      `${p}/repository/files/*file_path/raw`,
      getRawRepositoryFile,
      v4(
        "Get a raw file from a local project's repository",
        { 200: text("The file's bytes (`X-Gitlab-*` headers say which)") },
        Type.Object({ ref: Type.Optional(Type.String({ description: "@default HEAD" })) }),
      ),
    )
    .add(
      "GET",
      "/api/v4/templates/gitlab_ci_ymls/*key",
      getCiYmlTemplate,
      v4("Get a single GitLab CI YAML template", {
        200: json("The template", Type.Object({ name: Type.String(), content: Type.String() })),
      }),
    )
    .add(
      "GET",
      p,
      getProjectWithAccess,
      v4("Get a single project (with the caller's `permissions`)", {
        200: json("The project", ProjectEntitySchema),
      }),
    )
    .add(
      "GET",
      `${p}/pipelines`,
      listProjectPipelines,
      v4(
        "List project pipelines",
        { 200: json("The pipelines (paginated)", Type.Array(PipelineBasicEntitySchema)) },
        PipelineListParamsSchema,
      ),
    )
    .add(
      "POST",
      `${p}/pipeline`,
      createPipelineRoute,
      v4(
        "Create a new pipeline",
        { 201: json("The pipeline", PipelineEntitySchema) },
        CreatePipelineParamsSchema,
      ),
    )
    .add(
      "GET",
      `${p}/pipelines/latest`,
      getLatestPipeline,
      v4(
        "Get the latest pipeline",
        { 200: json("The newest pipeline of the ref", PipelineEntitySchema) },
        Type.Object({ ref: Type.Optional(Type.String({ description: "@default the default branch" })) }),
      ),
    )
    .add(
      "GET",
      `${p}/pipelines/:pipeline_id/variables`,
      getPipelineVariables,
      v4("Get variables of a pipeline", {
        200: json(
          "The variables the pipeline was created with",
          Type.Array(Type.Object({ key: Type.String(), variable_type: Type.String(), value: Type.String() })),
        ),
      }),
    )
    .add(
      "GET",
      `${p}/pipelines/:pipeline_id`,
      getPipeline,
      v4("Get a single pipeline", { 200: json("The pipeline", PipelineEntitySchema) }),
    )
    .add(
      "GET",
      `${p}/pipelines/:pipeline_id/test_report`,
      getPipelineTestReport,
      v4("Get a test report for a pipeline", { 200: json("The test report", TestReportEntitySchema) }),
    )
    .add(
      "GET",
      `${p}/pipelines/:pipeline_id/test_report_summary`,
      getPipelineTestReportSummary,
      v4("Get a test report summary for a pipeline", {
        200: json("The test report summary", TestReportSummaryEntitySchema),
      }),
    )
    .add(
      "GET",
      `${p}/pipelines/:pipeline_id/jobs`,
      listPipelineJobs,
      v4("List pipeline jobs", { 200: jobs }, V4JobListParamsSchema),
    )
    .add(
      "GET",
      `${p}/pipelines/:pipeline_id/bridges`,
      listPipelineBridges,
      v4(
        "List pipeline trigger jobs",
        {
          200: json(
            "The trigger jobs, oldest first (paginated, `Link` header)",
            Type.Array(BridgeEntitySchema),
          ),
        },
        V4BridgeListParamsSchema,
      ),
    )
    .add("GET", `${p}/jobs`, listProjectJobs, v4("List project jobs", { 200: jobs }, V4JobListParamsSchema))
    .add("GET", j, getJob, v4("Get a single job", job(200, "The job")))
    .add("GET", `${j}/trace`, getJobTrace, v4("Get a log file", { 200: text("The job's log so far") }))
    .add("GET", `${j}/artifacts`, getJobArtifacts, v4("Get job artifacts", { 200: file("The archive") }))
    .add(
      "GET",
      `${j}/artifacts/*artifact_path`,
      getJobArtifactFile,
      v4("Download a single artifact file by job ID", { 200: file("The file") }),
    )
    .add(
      "DELETE",
      `${j}/artifacts`,
      deleteJobArtifactsRoute,
      v4("Delete job artifacts", { 204: empty("Deleted") }),
    )
    .add("POST", `${j}/cancel`, cancelJob, v4("Cancel a job", job(201, "The job")))
    .add("POST", `${j}/retry`, retryJob, v4("Retry a job", job(201, "The new job")))
    .add("POST", `${j}/erase`, eraseJob, v4("Erase a job", job(201, "The erased job")))
    .add(
      "POST",
      `${j}/play`,
      playJob,
      v4("Run a manual job", {
        // lib/api/ci/jobs.rb presents a build as `Entities::Ci::Job`, a trigger job as `Entities::Ci::Bridge`.
        200: json(
          "The job, started (a trigger job as a Bridge)",
          Type.Union([JobEntitySchema, BridgeEntitySchema]),
        ),
      }),
    )
    .add("POST", `${j}/artifacts/keep`, keepJobArtifacts, v4("Keep artifacts", job(200, "The job")))
    .add(
      "GET",
      `${p}/environments`,
      listEnvironments,
      v4("List environments", {
        200: json("The environments", Type.Array(Type.Record(Type.String(), Type.Unknown()))),
      }),
    )
    .add(
      "GET",
      `${p}/environments/:environment_id`,
      getEnvironment,
      v4("Get a specific environment", {
        200: json("The environment", Type.Record(Type.String(), Type.Unknown())),
      }),
    )
    .add(
      "POST",
      `${p}/environments/:environment_id/stop`,
      stopEnvironmentRoute,
      v4("Stop an environment", {
        200: json("The environment", Type.Record(Type.String(), Type.Unknown())),
        201: json("The environment", Type.Record(Type.String(), Type.Unknown())),
      }),
    )
    .add(
      "POST",
      `${p}/pipelines/:pipeline_id/cancel`,
      cancelPipeline,
      v4("Cancel a pipeline's jobs", { 200: json("The pipeline", PipelineEntitySchema) }),
    )
    .add(
      "POST",
      `${p}/pipelines/:pipeline_id/retry`,
      retryPipeline,
      v4("Retry jobs in a pipeline", { 201: json("The pipeline", PipelineEntitySchema) }),
    )
    .add(
      "DELETE",
      `${p}/pipelines/:pipeline_id`,
      deletePipelineRoute,
      v4("Delete a pipeline", { 204: empty("Deleted") }),
    )
    .add("GET", `${p}/resource_groups`, listResourceGroups, v4("List resource groups", { 200: looseList }))
    .add("GET", `${p}/resource_groups/:key`, getResourceGroup, v4("Get a resource group", { 200: loose }))
    .add(
      "GET",
      `${p}/resource_groups/:key/upcoming_jobs`,
      listUpcomingJobs,
      v4("List upcoming jobs for a resource group", { 200: jobs }),
    )
    .add("PUT", `${p}/resource_groups/:key`, updateResourceGroup, v4("Edit a resource group", { 200: loose }))
    .add("GET", `${p}/variables`, listVariables, v4("List project variables", { 200: looseList }))
    .add("POST", `${p}/variables`, createVariable, v4("Create a variable", { 201: loose }))
    .add("GET", `${p}/variables/:key`, getVariable, v4("Get a single variable", { 200: loose }))
    .add("PUT", `${p}/variables/:key`, updateVariable, v4("Update a variable", { 200: loose }))
    .add("DELETE", `${p}/variables/:key`, deleteVariable, v4("Delete a variable", { 204: empty("Deleted") }))
    .add(
      "GET",
      `${p}/protected_branches`,
      listProtectedBranches,
      v4(
        "List protected branches",
        { 200: json("The rules as written (paginated)", Type.Array(ProtectedBranchEntitySchema)) },
        Type.Object({ search: Type.Optional(Type.String({ description: "Part of a rule's name" })) }),
      ),
    )
    .add(
      "GET",
      `${p}/protected_branches/:name`,
      getProtectedBranch,
      v4("Get a single protected branch or wildcard protected branch", {
        200: json("The rule", ProtectedBranchEntitySchema),
      }),
    )
    .add(
      "POST",
      `${p}/protected_branches`,
      createProtectedBranch,
      v4(
        "Protect repository branches",
        { 201: json("The rule", ProtectedBranchEntitySchema) },
        Type.Object({
          name: Type.String({ description: "A branch name or a wildcard (`release/*`)" }),
          push_access_level: Type.Optional(
            Type.Integer({ description: "0, 30, 40 or 60; @default 40 (Maintainers)" }),
          ),
          merge_access_level: Type.Optional(
            Type.Integer({ description: "0, 30, 40 or 60; @default 40 (Maintainers)" }),
          ),
          allow_force_push: Type.Optional(Type.Boolean({ description: "@default false" })),
        }),
      ),
    )
    .add(
      "DELETE",
      `${p}/protected_branches/:name`,
      deleteProtectedBranch,
      v4("Unprotect repository branches", { 204: empty("Unprotected") }),
    );
}
