// The v4 job actions: cancel, retry and erase (201), play and keep artifacts (200), delete artifacts
// (204). They share v3's services; only the messages say "Job" where v3 says "Build". A job on a branch
// the caller may not update (a protected branch) is 403, as 17.0's `Ci::BuildPolicy` has it.

import { type Build, isPlayable, isRetryable, type User } from "@buildsim/core";
import type { App } from "../../app.js";
import { ApiError } from "../../http/api-error.js";
import type { Reply } from "../../http/reply.js";
import type { RequestContext } from "../../http/request-context.js";
import { deleteJobArtifacts } from "../../services/delete-artifacts.js";
import { type AccessDeps, actedBuild, integerRouteParam, requireRefAccess } from "../access.js";
import { bridgeReply, jobReply, type PresentV4Deps, storedJobReply } from "./job-reply.js";
import {
  callerOf,
  findJob,
  findProcessable,
  findProjectV4,
  requireDestroyArtifacts,
  requireUpdateJobs,
} from "./v4-access.js";

/** What the job actions need of the wiring: access, the build actions, and rendering the job. */
type JobActionDeps = AccessDeps &
  PresentV4Deps &
  Pick<App, "actions" | "transitions" | "profile" | "readCache">;

/**
 * 401, 400 `job_id is invalid`, 404 project, 403 (`update_build` or `destroy_artifacts` on the project),
 * 404 job, then for job updates 403 when the job's ref is protected against the caller.
 */
function actionTarget(
  ctx: RequestContext,
  app: JobActionDeps,
  ability: "update" | "erase" | "destroy" = "update",
  find: typeof findJob = findJob,
): { user: User; build: Build } {
  const caller = callerOf(ctx, app);
  const jobId = integerRouteParam(ctx, "job_id");
  const project = findProjectV4(ctx, app, caller);
  const user =
    ability === "destroy" ? requireDestroyArtifacts(caller, project) : requireUpdateJobs(caller, project);
  const build = find(app, project, jobId);
  if (ability !== "destroy")
    requireRefAccess(app, user, project, ability === "erase" ? "erase_job" : "update_job", build);
  return { user, build };
}

/** `POST …/jobs/:job_id/cancel`: 201, also when the job had already finished (a no-op). */
export function cancelJob(ctx: RequestContext, app: JobActionDeps): Reply {
  const { build } = actionTarget(ctx, app);
  return jobReply(app, 201, actedBuild(app.actions.cancel(build.id), "v4"));
}

/** `POST …/jobs/:job_id/retry`: 201 with the new job, or 403 `Job is not retryable`. */
export function retryJob(ctx: RequestContext, app: JobActionDeps): Reply {
  const { user, build } = actionTarget(ctx, app);
  return storedJobReply(app, 201, () => actedBuild(app.actions.retry(build.id, user), "v4"));
}

/**
 * `POST …/jobs/:job_id/erase`: 201; 403 without `erase_build` (a Developer erasing a job someone else
 * started, or any job on a protected branch: `authorize!(:erase_build, build)` in lib/api/ci/jobs.rb);
 * 403 `Job is not erasable!`.
 */
export function eraseJob(ctx: RequestContext, app: JobActionDeps): Reply {
  const { user, build } = actionTarget(ctx, app, "erase");
  return jobReply(app, 201, actedBuild(app.actions.erase(build.id, user), "v4"));
}

/**
 * `POST …/jobs/:job_id/play`: 200. A waiting manual job becomes pending with the caller as its user; a
 * finished manual job is retried (GitLab still answers with the job that was played). Anything else is
 * 17.0's 400 "400 Bad request - Unplayable Job" (lib/api/ci/jobs.rb, `bad_request!("Unplayable Job")`).
 */
export function playJob(ctx: RequestContext, app: JobActionDeps): Reply {
  // `find_job!`: play alone reaches trigger jobs too.
  const { user, build } = actionTarget(ctx, app, "update", findProcessable);
  if (build.trigger !== null) return playBridge(app, user, build);
  if (build.when === "manual" && isRetryable(build)) {
    actedBuild(app.actions.retry(build.id, user), "v4");
    return jobReply(app, 200, app.store.builds.get(build.id) ?? build);
  }
  if (build.status !== "manual" && build.status !== "scheduled") throw ApiError.of("JOB_UNPLAYABLE");
  return jobReply(app, 200, actedBuild(app.actions.play(build.id, user), "v4"));
}

/**
 * A trigger job: `Ci::Bridge#playable?` is `action? && manual?` (a finished one is not retried by play),
 * PlayBridgeService makes it pending, and GitLab answers `Entities::Ci::Bridge`. Its downstream pipeline is
 * created once the answer's transaction has committed, so `downstream_pipeline` is still null here.
 */
function playBridge(app: PresentV4Deps & Pick<App, "actions">, user: User, bridge: Build): Reply {
  if (bridge.status !== "manual" || !isPlayable(bridge)) throw ApiError.of("JOB_UNPLAYABLE");
  return bridgeReply(app, 200, actedBuild(app.actions.play(bridge.id, user), "v4"));
}

/** `POST …/jobs/:job_id/artifacts/keep`: 200, or 404 when the job has no (unexpired) artifacts. */
export function keepJobArtifacts(ctx: RequestContext, app: JobActionDeps): Reply {
  const { build } = actionTarget(ctx, app);
  return jobReply(app, 200, actedBuild(app.actions.keepArtifacts(build.id), "v4"));
}

/** `DELETE …/jobs/:job_id/artifacts`: 204 with an empty body; needs Maintainer (`destroy_artifacts`). */
export function deleteJobArtifactsRoute(ctx: RequestContext, app: JobActionDeps): Reply {
  const { build } = actionTarget(ctx, app, "destroy");
  deleteJobArtifacts(app.store, app.transitions, build.id);
  return { status: 204, headers: [], body: Buffer.alloc(0) };
}
