// @buildsim/ci-config: reads, validates and plans `.gitlab-ci.yml` pipelines with GitLab's semantics.
// Named exports only, listed explicitly.

export type {
  CiConfig,
  CiFileCondition,
  CiImage,
  CiJob,
  CiNeed,
  CiPolicy,
  CiRule,
  CiVariableDef,
} from "./ci-config-types.js";
export { parseDurationS } from "./duration.js";
export { matrixJobName } from "./expand-parallel.js";
export type { ExpandableVariable, ExpandVariableSetResult } from "./expand-variables.js";
export {
  expandExisting,
  expandedRecord,
  expandRunner,
  expandVariableSet,
  referencedNames,
} from "./expand-variables.js";
export type { CiExpression, ParseExpressionResult } from "./expression.js";
export { parseExpression } from "./expression.js";
export { matchesGlob } from "./glob-match.js";
export type { LintResult } from "./lint-ci-config.js";
export { createMemoryReader, formatProblem, lintCiConfig, lintCiSources } from "./lint-ci-config.js";
export type { LoadCiConfigOptions, LoadCiConfigResult } from "./load-ci-config.js";
export { DEFAULT_STAGES, loadCiConfig } from "./load-ci-config.js";
export type { CiFileReader } from "./load-includes.js";
export { createDirectoryReader } from "./load-includes.js";
export { matchesRefs } from "./match-refs.js";
export type { PipelineContext } from "./pipeline-context.js";
export type { PipelinePlan, PlannedBuildFields, PlannedJob } from "./plan-pipeline.js";
export { buildFieldsOf, planPipeline } from "./plan-pipeline.js";
export type { PredefinedVariablesInput } from "./predefined-variables.js";
export {
  commitTitleAndDescription,
  environmentSlug,
  GITLAB_COMPAT_VERSION,
  guessEnvironmentTier,
  pipelineVariables,
  predefinedVariables,
  refSlug,
} from "./predefined-variables.js";
export { createChangesCheck, createExistsCheck } from "./repo-file-checks.js";
export type { CiProblem, SourcePos } from "./source-pos.js";
