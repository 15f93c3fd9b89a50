// `DELETE /jobs/:job_id/artifacts` (GitLab 11.9+): removes a job's artifacts archive, keeping its trace,
// in one transaction; the file goes once the row change has committed.

import type { Build } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import type { BuildTransitions } from "./build-transitions.js";

/** Deletes the artifacts of build `buildId` (a no-op when it has none) and returns the build after. */
export function deleteJobArtifacts(store: Store, transitions: BuildTransitions, buildId: number): Build {
  return store.transaction(() => {
    const build = store.builds.get(buildId);
    if (!build) throw new Error(`build ${buildId} does not exist`);
    const removeFile = store.artifacts.delete(buildId);
    store.testReports.delete(buildId);
    if (removeFile) store.onCommit(removeFile);
    if (build.artifactsFile === null && build.artifactsExpireAt === null) return build;
    return transitions.saveDetails({ ...build, artifactsFile: null, artifactsExpireAt: null });
  });
}
