// Renders the v4 `Entities::Ci::Bridge` of a trigger job: JobBasic plus `downstream_pipeline`, the
// PipelineBasic of the pipeline it created (null until it exists).

import type { BridgeEntity, Build, Pipeline } from "@buildsim/core";
import { type PresentV4Options, presentPipelineBasicV4 } from "./present-entities-v4.js";
import { presentJobBasicV4 } from "./present-job-v4.js";

/** The Bridge entity for `bridge`, whose downstream pipeline is `downstream` (if any). */
export function presentBridgeV4(
  bridge: Build,
  downstream: Pipeline | undefined,
  o: PresentV4Options,
): BridgeEntity {
  const path = downstream ? o.lookup.project(downstream.projectId)?.pathWithNamespace : undefined;
  return {
    ...presentJobBasicV4(bridge, o),
    downstream_pipeline: downstream && path ? presentPipelineBasicV4(downstream, path, o) : null,
  };
}
