// A complete pipeline record from the few fields that identify it; everything else takes GitLab's default.

import type { Pipeline, Timestamp } from "./domain.js";

export type NewPipelineFields = Pick<Pipeline, "id" | "projectId" | "sha" | "ref"> & {
  createdAt: Timestamp;
} & Partial<Pipeline>;

/**
 * A `created` push pipeline of a branch, by nobody, nothing run yet (`updatedAt` is `createdAt`), and no
 * upstream: what `Ci::Pipeline.new` starts as before processing moves it.
 */
export function newPipeline(fields: NewPipelineFields): Pipeline {
  return {
    tag: false,
    beforeSha: null,
    status: "created",
    source: "push",
    userId: null,
    updatedAt: fields.createdAt,
    startedAt: null,
    finishedAt: null,
    duration: null,
    coverage: null,
    upstreamBridgeId: null,
    upstreamPipelineId: null,
    ...fields,
  };
}
