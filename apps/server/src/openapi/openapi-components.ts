// The named schemas of the OpenAPI document (`#/components/schemas/<name>`): core's REST entities and
// error body. A schema listed here is written once and referenced wherever a route uses it.

import {
  ApiErrorBodySchema,
  ArtifactsFileEntitySchema,
  BuildEntityV3Schema,
  CommitEntityV3Schema,
  CommitEntityV4Schema,
  JobArtifactEntitySchema,
  JobEntitySchema,
  PipelineBasicEntitySchema,
  PipelineEntitySchema,
  ProjectEntitySchema,
  RunnerEntitySchema,
  UserEntityV3Schema,
  UserEntityV4Schema,
  VersionEntitySchema,
} from "@buildsim/core";
import type { TSchema } from "@sinclair/typebox";

/** Component name → schema. */
export const OPENAPI_COMPONENTS: Readonly<Record<string, TSchema>> = {
  ApiError: ApiErrorBodySchema,
  ArtifactsFile: ArtifactsFileEntitySchema,
  BuildV3: BuildEntityV3Schema,
  CommitV3: CommitEntityV3Schema,
  CommitV4: CommitEntityV4Schema,
  JobArtifact: JobArtifactEntitySchema,
  Job: JobEntitySchema,
  PipelineBasic: PipelineBasicEntitySchema,
  Pipeline: PipelineEntitySchema,
  Project: ProjectEntitySchema,
  Runner: RunnerEntitySchema,
  UserV3: UserEntityV3Schema,
  UserV4: UserEntityV4Schema,
  Version: VersionEntitySchema,
};
