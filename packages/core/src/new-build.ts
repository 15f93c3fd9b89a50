// A complete build record from the few fields that identify a job; everything else takes GitLab's default.

import type { Build, Timestamp } from "./domain.js";

export type NewBuildFields = Pick<
  Build,
  "id" | "projectId" | "pipelineId" | "name" | "ref" | "sha" | "token"
> & {
  createdAt: Timestamp;
} & Partial<Build>;

/** A `created` build with a one-line script, stage `test`, `when: on_success`, nothing run yet. */
export function newBuild(fields: NewBuildFields): Build {
  return {
    stage: "test",
    stageIdx: 0,
    tag: false,
    status: "created",
    when: "on_success",
    allowFailure: false,
    allowFailureExitCodes: [],
    needs: null,
    dependencies: null,
    commands: ["echo ok"],
    beforeScript: [],
    afterScript: [],
    variables: [],
    tagList: [],
    timeoutS: 3600,
    artifactsOptions: null,
    image: null,
    services: [],
    runSpec: null,
    dotenvVariables: [],
    retryMax: 0,
    retryWhen: null,
    startInS: null,
    scheduledAt: null,
    resourceGroup: null,
    environment: null,
    crossDependencies: [],
    trigger: null,
    external: null,
    coverage: null,
    coverageRegex: null,
    queuedAt: null,
    startedAt: null,
    finishedAt: null,
    erasedAt: null,
    erasedById: null,
    userId: null,
    runnerId: null,
    failureReason: null,
    exitCode: null,
    artifactsFile: null,
    artifactsExpireAt: null,
    retried: false,
    trace: { bytes: 0, updatedAt: null },
    ...fields,
  };
}
