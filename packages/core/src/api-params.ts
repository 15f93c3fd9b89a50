// The request parameters of buildsim's REST endpoints, as schemas for the OpenAPI document. Handlers read
// them with Grape's coercions and GitLab's exact 400 messages (apps/server/src/http/parse-query.ts); these
// say what is accepted. Query and form bodies carry the same names (Grape merges them).

import { Type } from "@sinclair/typebox";
import { LiteralUnion } from "./schema-helpers.js";
import { BUILD_STATUSES } from "./status.js";

const Scope = (values: readonly string[], description: string) =>
  Type.Union([LiteralUnion(values), Type.Array(LiteralUnion(values))], { description });

/** `page`, `per_page` (GitLab's pagination; `per_page` at most 100). */
export const PageParamsSchema = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, description: "Page number. @default 1" })),
  per_page: Type.Optional(
    Type.Integer({ minimum: 1, description: "Items per page, at most 100. @default 20" }),
  ),
});

/** v3 `GET …/builds`: `scope` (one value or `scope[]=…`) and pagination. */
export const V3BuildListParamsSchema = Type.Composite([
  Type.Object({
    scope: Type.Optional(
      Scope(["pending", "running", "failed", "success", "canceled"], "Only builds with these statuses"),
    ),
  }),
  PageParamsSchema,
]);

/** v4 `GET …/jobs`: `scope` (statuses) and pagination; pipeline jobs also `include_retried`. */
export const V4JobListParamsSchema = Type.Composite([
  Type.Object({
    scope: Type.Optional(Scope(BUILD_STATUSES, "Only jobs with these statuses")),
    include_retried: Type.Optional(Type.Boolean({ description: "Pipeline jobs: include retried jobs" })),
  }),
  PageParamsSchema,
]);

/** v4 `GET …/pipelines/:pipeline_id/bridges`: `scope` and pages (no `include_retried`). */
export const V4BridgeListParamsSchema = Type.Composite([
  Type.Object({ scope: Type.Optional(Scope(BUILD_STATUSES, "Only trigger jobs with these statuses")) }),
  PageParamsSchema,
]);

/** v4 `GET …/pipelines` filters. */
export const PipelineListParamsSchema = Type.Composite([
  Type.Object({
    scope: Type.Optional(LiteralUnion(["running", "pending", "finished", "branches", "tags"])),
    status: Type.Optional(LiteralUnion(BUILD_STATUSES)),
    ref: Type.Optional(Type.String()),
    sha: Type.Optional(Type.String()),
    order_by: Type.Optional(LiteralUnion(["id", "status", "ref", "updated_at", "user_id"])),
    sort: Type.Optional(LiteralUnion(["asc", "desc"])),
  }),
  PageParamsSchema,
]);

/** v4 `POST …/pipeline`. */
export const CreatePipelineParamsSchema = Type.Object({
  ref: Type.String({ description: "Branch or tag to run the pipeline for" }),
  variables: Type.Optional(
    Type.Array(
      Type.Object({
        key: Type.String(),
        value: Type.Optional(Type.String()),
        variable_type: Type.Optional(Type.String()),
      }),
    ),
  ),
});

/** v4 `GET /jobs/:id/artifacts` and the job-token routes: the job token as a parameter. */
export const JobTokenParamsSchema = Type.Object({
  job_token: Type.Optional(Type.String({ description: "The job's token (or the JOB-TOKEN header)" })),
});

/** Runner API `POST /runners`. */
export const RegisterRunnerParamsSchema = Type.Object({
  token: Type.String({ description: "Registration token (instance) or a project's runners token" }),
  description: Type.Optional(Type.String()),
  tag_list: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  run_untagged: Type.Optional(Type.Boolean()),
  locked: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
  info: Type.Optional(Type.Record(Type.String(), Type.String())),
});

/** Runner API `DELETE /runners`, `POST /runners/verify`. */
export const RunnerTokenParamsSchema = Type.Object({
  token: Type.String({ description: "The runner's token" }),
});

/** Runner API `POST /jobs/:id/artifacts`: the raw zip is the body. */
export const UploadArtifactsParamsSchema = Type.Object({
  token: Type.Optional(Type.String({ description: "The job's token (or the JOB-TOKEN header)" })),
  expire_in: Type.Optional(Type.String({ description: "`1 week`, `30 mins`, `3600`, `never`" })),
  artifact_type: Type.Optional(
    Type.String({ description: "`archive` (default) or `junit` (a report: gzip members, one per file)" }),
  ),
  artifact_format: Type.Optional(Type.String({ description: "`zip` for the archive, `gzip` for a report" })),
});

/** Runner API `POST /runners`: 201. */
export const RegisteredRunnerSchema = Type.Object({ id: Type.Integer(), token: Type.String() });
