// @buildsim/ci-config: reads, validates and plans `.gitlab-ci.yml` pipelines with GitLab's semantics.
// Named exports only, listed explicitly.

// The one duration parser is core's (also `expire_in` on the runner API); re-exported for config users.
export { parseDurationS } from "@buildsim/core";
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
export type { GitLabApi, IncludeFetcherOptions } from "./include-fetcher.js";
export { createIncludeFetcher } from "./include-fetcher.js";
export type { IncludeMap } from "./include-map.js";
export { readIncludeMap } from "./include-map.js";
export type { IncludeFetch, IncludeSources } from "./include-sources.js";
export { OFFLINE_SOURCES } from "./include-sources.js";
export type { LintResult } from "./lint-ci-config.js";
export { createMemoryReader, formatProblem, lintCiConfig, lintCiSources } from "./lint-ci-config.js";
export type { LoadCiConfigOptions, LoadCiConfigResult } from "./load-ci-config.js";
export { DEFAULT_STAGES, loadCiConfig } from "./load-ci-config.js";
export type { CiFileReader, IncludeOptions } from "./load-includes.js";
export { createDirectoryReader, MAX_INCLUDES } from "./load-includes.js";
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
export { compileRe2 } from "./re2-pattern.js";
export { createChangesCheck, createExistsCheck, listRepositoryFiles } from "./repo-file-checks.js";
export type { AsyncIncludeSources, FetchedInclude, LoadCiConfigAsyncResult } from "./resolve-includes.js";
export { loadCiConfigAsync } from "./resolve-includes.js";
export type { CiProblem, SourcePos } from "./source-pos.js";
export type { VariablesFileEntry } from "./variables-file.js";
export { parseVariablesFile } from "./variables-file.js";
