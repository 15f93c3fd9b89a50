// `needs:project` and `needs:pipeline`: the jobs of other pipelines whose artifacts a build downloads.
// `needs:project` takes the named job of the other local project's latest successful pipeline for `ref`
// (its default branch when no ref is given); `needs:pipeline` takes it from the pipeline whose id the
// (expanded) value holds, in the same project, e.g. `$PARENT_PIPELINE_ID` in a child pipeline.
// https://docs.gitlab.com/ci/yaml/#needsproject and https://docs.gitlab.com/ci/yaml/#needspipelinejob

import type { Build, BuildCrossDependency, Pipeline } from "@buildsim/core";
import type { Store } from "../store/create-store.js";

/** The pipeline a cross dependency reads from, or undefined when there is none. */
function sourcePipeline(store: Store, build: Build, dep: BuildCrossDependency): Pipeline | undefined {
  if (dep.pipeline !== null) {
    const id = Number(dep.pipeline);
    const pipeline = Number.isInteger(id) && id > 0 ? store.pipelines.get(id) : undefined;
    return pipeline?.projectId === build.projectId ? pipeline : undefined;
  }
  const project = dep.project === null ? undefined : store.projects.getByPath(dep.project);
  if (!project) return undefined;
  const ref = dep.ref ?? project.defaultBranch;
  return store.pipelines.list(
    { projectId: project.id, ref, statuses: ["success"], orderBy: "id", descending: true },
    1,
    0,
  )[0];
}

/** The latest (not retried) build named `dep.job` in the pipeline `dep` points at, if any. */
function sourceBuild(store: Store, build: Build, dep: BuildCrossDependency): Build | undefined {
  const pipeline = sourcePipeline(store, build, dep);
  // The build's own pipeline is not a cross dependency: GitLab expects local `needs` there.
  if (!pipeline || pipeline.id === build.pipelineId) return undefined;
  return store.builds
    .listByPipeline(pipeline.id)
    .filter((b) => b.name === dep.job && !b.retried)
    .at(-1);
}

/**
 * The builds `build`'s cross dependencies (with `artifacts: true`) name, in the order written. One whose
 * project, pipeline or job does not exist (yet) downloads nothing; see {@link missingCrossDependencies}.
 */
export function crossDependenciesOf(store: Store, build: Build): { builds: Build[] } {
  const builds: Build[] = [];
  for (const dep of build.crossDependencies) {
    if (!dep.artifacts) continue;
    const source = sourceBuild(store, build, dep);
    if (source) builds.push(source);
  }
  return { builds };
}

/**
 * The cross dependencies with no successful job behind them: no such project, pipeline or job, or a job
 * that did not succeed. GitLab counts them (`Ci::BuildDependencies#valid_cross_pipeline?`: every specified
 * cross dependency must resolve to a latest successful job) and drops such a build with
 * `missing_dependency_failure` when a runner would pick it (`Ci::RegisterJobService`).
 */
export function missingCrossDependencies(store: Store, build: Build): BuildCrossDependency[] {
  return build.crossDependencies.filter((dep) => sourceBuild(store, build, dep)?.status !== "success");
}

/** Whether a job holding `token` may download `source`'s artifacts because it needs them cross-pipeline. */
export function needsAcrossPipelines(store: Store, downloader: Build, source: Build): boolean {
  return crossDependenciesOf(store, downloader).builds.some((b) => b.id === source.id);
}
