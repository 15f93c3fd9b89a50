// A trigger job's `trigger:` for tests that need a bridge among builds (lists and counts leave it out).

import type { BuildTrigger } from "@buildsim/core";

/** `trigger: { include: child.yml }` as the CI config reader gives it. */
export const CHILD_TRIGGER: BuildTrigger = {
  include: ["child.yml"],
  project: null,
  branch: null,
  strategy: null,
  forwardYamlVariables: true,
  forwardPipelineVariables: false,
  inputs: null,
};
