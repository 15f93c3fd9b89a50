// Deletes a pipeline (GitLab's `Ci::DestroyPipelineService`): the pipeline and all of it in one transaction
// — builds, bridges and commit statuses with their traces, artifacts, test reports, deployments and
// variables — and the artifact files once that has committed. Pipelines it started stay, unlinked. After
// the commit, `pipelineDeleted` tells runners to stop its running builds and closes its trace watchers.

import type { App } from "../app.js";
import type { DeletedPipeline } from "../events/server-events.js";

/** Deletes pipeline `pipelineId`; false when there is none. Throws (changing nothing) on a store error. */
export function deletePipeline(
  app: Pick<App, "store" | "transitions" | "events" | "now">,
  pipelineId: number,
): boolean {
  const { store } = app;
  return store.transaction(() => {
    const pipeline = store.pipelines.get(pipelineId);
    if (!pipeline) return false;
    const builds = store.builds.listByPipeline(pipelineId);
    for (const build of builds) {
      const removeFile = store.artifacts.delete(build.id);
      if (removeFile) store.onCommit(removeFile);
    }
    store.pipelines.delete(pipelineId);
    const at = app.now();
    // A deleted build that held (or waited for) its resource group's resource lets the next one have it.
    for (const build of builds) if (build.resourceGroup !== null) app.transitions.assignResource(build, at);
    const deleted: DeletedPipeline = {
      pipelineId,
      projectId: pipeline.projectId,
      builds: builds.map((b) => ({ id: b.id, runnerId: b.status === "running" ? b.runnerId : null })),
    };
    store.onCommit(() => app.events.emit("pipelineDeleted", deleted));
    return true;
  });
}
