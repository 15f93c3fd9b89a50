// The v4 `CommitStatus` entity (https://docs.gitlab.com/17.0/ee/api/commits.html#commit-status): a job of
// a commit's pipelines as external CI tools read and write it.

import { type Static, Type } from "@sinclair/typebox";
import { UserEntityV4Schema } from "./api-entities.js";
import { Nullable } from "./schema-helpers.js";

/** `API::Entities::CommitStatus`. */
export const CommitStatusEntitySchema = Type.Object({
  id: Type.Number(),
  sha: Type.String(),
  ref: Type.String(),
  status: Type.String(),
  name: Type.String(),
  target_url: Nullable(Type.String()),
  description: Nullable(Type.String()),
  created_at: Type.String(),
  started_at: Nullable(Type.String()),
  finished_at: Nullable(Type.String()),
  allow_failure: Type.Boolean(),
  coverage: Nullable(Type.Number()),
  pipeline_id: Type.Number(),
  author: Nullable(UserEntityV4Schema),
});
export type CommitStatusEntity = Static<typeof CommitStatusEntitySchema>;
