// The build actions of the API (cancel, retry, erase, keep artifacts, play), each one transaction that
// goes through core's machine and guards. Outcomes the API reports as errors are thrown as ApiError.

import {
  type Build,
  hasArtifacts,
  isErasable,
  isPlayable,
  isRetryable,
  reopenAfterRetry,
  retryBuild,
  type User,
} from "@buildsim/core";
import { ApiError } from "../http/api-error.js";
import type { Store } from "../store/create-store.js";
import type { BuildTransitions } from "./build-transitions.js";

/** What the actions need from outside. */
export interface BuildActionsDeps {
  store: Store;
  transitions: BuildTransitions;
  /** Now, as an ISO timestamp. */
  now: () => string;
  /** A fresh job token for a retried build. */
  generateToken: () => string;
}

/** Cancel, retry, erase, keep and play. Each takes the build as loaded by the route. */
export function createBuildActions({ store, transitions, now, generateToken }: BuildActionsDeps) {
  const current = (id: number): Build => {
    const b = store.builds.get(id);
    if (!b) throw ApiError.of("NOT_FOUND");
    return b;
  };

  return {
    /** `cancel`: a no-op (still a success) when the build has already finished. */
    cancel(buildId: number): Build {
      return store.transaction(() => transitions.fire(current(buildId), { type: "cancel", at: now() }));
    },

    /** `Ci::Build.retry`: a new pending build for `user`; later skipped builds re-open. */
    retry(buildId: number, user: User): Build {
      return store.transaction(() => {
        const source = current(buildId);
        if (!isRetryable(source)) throw ApiError.of("NOT_RETRYABLE");
        const at = now();
        const fresh = retryBuild(source, {
          id: store.builds.nextId(),
          token: generateToken(),
          userId: user.id,
          at,
        });
        store.builds.insert(fresh);
        transitions.announce(fresh);
        transitions.saveDetails({ ...source, retried: true });
        if (fresh.status === "waiting_for_resource") transitions.assignResource(fresh, at);
        const siblings = store.builds.listByPipeline(source.pipelineId);
        for (const { buildId: id, event } of reopenAfterRetry(siblings, source, at))
          transitions.fire(current(id), event);
        transitions.updatePipelineStatus(source.pipelineId, at);
        transitions.reopenSourceBridges(source.pipelineId, at);
        return current(fresh.id);
      });
    },

    /** `erase`: removes artifacts and trace, records who erased it; 403 when there is nothing to erase. */
    erase(buildId: number, user: User): Build {
      return store.transaction(() => {
        const build = current(buildId);
        const at = now();
        if (!isErasable(build, at)) throw ApiError.of("NOT_ERASABLE");
        const removeFile = store.artifacts.delete(buildId);
        store.testReports.delete(buildId);
        if (removeFile) store.onCommit(removeFile);
        store.traces.erase(buildId, at);
        return transitions.saveDetails({
          ...current(buildId),
          artifactsFile: null,
          artifactsExpireAt: null,
          erasedAt: at,
          erasedById: user.id,
        });
      });
    },

    /** `keep_artifacts!`: clears the expiry; 404 when the build has no (unexpired) artifacts. */
    keepArtifacts(buildId: number): Build {
      return store.transaction(() => {
        const build = current(buildId);
        if (!hasArtifacts(build, now())) throw ApiError.of("NOT_FOUND");
        return transitions.saveDetails({ ...build, artifactsExpireAt: null });
      });
    },

    /**
     * `play`: a waiting manual build becomes pending with the caller as its user. A build parked in
     * `skipped` (8.x) is enqueued; one in `manual` is played. 400 when it is not playable.
     */
    play(buildId: number, user: User): Build {
      return store.transaction(() => {
        const build = current(buildId);
        if (!isPlayable(build)) throw ApiError.of("UNPLAYABLE");
        const at = now();
        const played =
          build.status === "manual" || build.status === "scheduled"
            ? transitions.fire(build, { type: "play", at, userId: user.id })
            : transitions.fire(build, { type: "enqueue", at });
        if (played.status === build.status) throw ApiError.of("UNPLAYABLE");
        // EnqueueJobService → ResetSkippedJobsService: a bridge waiting on this pipeline waits again.
        transitions.reopenSourceBridges(build.pipelineId, at);
        return played.userId === user.id ? played : transitions.saveDetails({ ...played, userId: user.id });
      });
    },
  };
}

export type BuildActions = ReturnType<typeof createBuildActions>;
