// The build actions of the API (cancel, retry, erase, keep artifacts, play), each one transaction that
// goes through core's machine and guards. A refusal is an outcome value; routes turn it into GitLab's error.

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
import type { Store } from "../store/create-store.js";
import type { BuildTransitions } from "./build-transitions.js";

/** Why an action did nothing; `routes/access.ts` maps each to GitLab's error for the API version. */
export type BuildActionRefusal = "not_found" | "not_retryable" | "not_erasable" | "unplayable";

/** The build after the action, or why it was refused (nothing was written then). */
export type BuildActionOutcome = { ok: true; build: Build } | { ok: false; refusal: BuildActionRefusal };

const done = (build: Build): BuildActionOutcome => ({ ok: true, build });
const refused = (refusal: BuildActionRefusal): BuildActionOutcome => ({ ok: false, refusal });

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
  // Builds the action itself just wrote or listed: they exist inside its transaction.
  const current = (id: number): Build => store.builds.get(id)!;

  return {
    /** `cancel`: a no-op (still a success) when the build has already finished. */
    cancel(buildId: number): BuildActionOutcome {
      return store.transaction(() => {
        const build = store.builds.get(buildId);
        return build ? done(transitions.fire(build, { type: "cancel", at: now() })) : refused("not_found");
      });
    },

    /** `Ci::Build.retry`: a new pending build for `user`; later skipped builds re-open. */
    retry(buildId: number, user: User): BuildActionOutcome {
      return store.transaction(() => {
        const source = store.builds.get(buildId);
        if (!source) return refused("not_found");
        if (!isRetryable(source)) return refused("not_retryable");
        const at = now();
        const fresh = retryBuild(source, {
          id: store.builds.nextId(),
          token: generateToken(),
          userId: user.id,
          at,
        });
        store.builds.insert(fresh);
        transitions.announce(fresh);
        transitions.markRetried(source);
        if (fresh.status === "waiting_for_resource") transitions.assignResource(fresh, at);
        // Only skipped builds re-open: read those, not the whole pipeline.
        const skipped = store.builds.latestInStatus(source.pipelineId, "skipped");
        const reopened = reopenAfterRetry(skipped, source, at);
        for (const { buildId: id, event } of reopened) transitions.fire(current(id), event);
        transitions.reprocessReopened(source.pipelineId, reopened, at);
        const pipeline = transitions.updatePipelineStatus(source.pipelineId, at);
        transitions.reopenSourceBridges(source.pipelineId, at, pipeline);
        return done(current(fresh.id));
      });
    },

    /** `erase`: removes artifacts and trace, records who erased it; refused when there is nothing to erase. */
    erase(buildId: number, user: User): BuildActionOutcome {
      return store.transaction(() => {
        const build = store.builds.get(buildId);
        if (!build) return refused("not_found");
        const at = now();
        if (!isErasable(build, at)) return refused("not_erasable");
        const removeFile = store.artifacts.delete(buildId);
        store.testReports.delete(buildId);
        if (removeFile) store.onCommit(removeFile);
        store.traces.erase(buildId, at);
        return done(
          transitions.saveDetails({
            ...current(buildId),
            artifactsFile: null,
            artifactsExpireAt: null,
            erasedAt: at,
            erasedById: user.id,
          }),
        );
      });
    },

    /** `keep_artifacts!`: clears the expiry; refused (not found) when the build has no (unexpired) artifacts. */
    keepArtifacts(buildId: number): BuildActionOutcome {
      return store.transaction(() => {
        const build = store.builds.get(buildId);
        if (!build || !hasArtifacts(build, now())) return refused("not_found");
        return done(transitions.saveDetails({ ...build, artifactsExpireAt: null }));
      });
    },

    /**
     * `play`: a waiting manual build becomes pending with the caller as its user. A build parked in
     * `skipped` (8.x) is enqueued; one in `manual` is played; refused when it is not playable.
     */
    play(buildId: number, user: User): BuildActionOutcome {
      return store.transaction(() => {
        const build = store.builds.get(buildId);
        if (!build) return refused("not_found");
        if (!isPlayable(build)) return refused("unplayable");
        const at = now();
        const played =
          build.status === "manual" || build.status === "scheduled"
            ? transitions.fire(build, { type: "play", at, userId: user.id })
            : transitions.fire(build, { type: "enqueue", at });
        // The machine changed nothing, so nothing was written.
        if (played.status === build.status) return refused("unplayable");
        // EnqueueJobService → ResetSkippedJobsService: a bridge waiting on this pipeline waits again.
        transitions.reopenSourceBridges(build.pipelineId, at);
        return done(
          played.userId === user.id ? played : transitions.saveDetails({ ...played, userId: user.id }),
        );
      });
    },
  };
}

export type BuildActions = ReturnType<typeof createBuildActions>;
