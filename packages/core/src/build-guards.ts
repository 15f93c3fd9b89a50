// GitLab's build predicates (`retryable?`, `erasable?`, `playable?`, `cancelable?`, `artifacts?`), as pure
// functions of a stored build and the current time.

import type { Build, Timestamp } from "./domain.js";
import { isActiveStatus, isCancelableStatus, isCompletedStatus } from "./status.js";

/** `artifacts?`: an archive exists and has not expired. */
export function hasArtifacts(build: Build, now: Timestamp): boolean {
  if (!build.artifactsFile) return false;
  return build.artifactsExpireAt === null || build.artifactsExpireAt > now;
}

/** `has_trace?`: something was logged and not erased. */
export const hasTrace = (build: Build): boolean => build.trace.bytes > 0;

/** `retryable?` (8.15+): a finished build with a script. */
/** A build that does something when run: a script, or a trigger job's downstream pipeline (`Ci::Bridge`). */
const hasAction = (build: Build): boolean => build.commands.length > 0 || build.trigger !== null;

export const isRetryable = (build: Build): boolean =>
  hasAction(build) &&
  (build.status === "success" || build.status === "failed" || build.status === "canceled");

/** `erasable?`: complete, with artifacts or a trace left to erase. */
export const isErasable = (build: Build, now: Timestamp): boolean =>
  isCompletedStatus(build.status) && (hasArtifacts(build, now) || hasTrace(build));

/**
 * `playable?`: a manual build with a script that is waiting, or a delayed one counting down (played, it
 * runs at once). 8.x parked manual builds in `skipped`, so the `gitlab-8.17` profile also accepts that;
 * the machine's `play` event takes `manual` and `scheduled`.
 */
export const isPlayable = (build: Build): boolean =>
  hasAction(build) &&
  ((build.when === "manual" && (build.status === "manual" || build.status === "skipped")) ||
    (build.when === "delayed" && build.status === "scheduled"));

/** `cancelable?` for the API: the `cancel` event is accepted. */
export const isCancelable = (build: Build): boolean => isCancelableStatus(build.status);

/** `active?`: pending or running. */
export const isActive = (build: Build): boolean => isActiveStatus(build.status);

/** `erased?` */
export const isErased = (build: Build): boolean => build.erasedAt !== null;

/** `duration`: seconds between start and finish, or until `now` while running; null before start. */
export function buildDuration(build: Build, now: Timestamp): number | null {
  if (!build.startedAt) return null;
  const end = build.finishedAt ?? now;
  return (Date.parse(end) - Date.parse(build.startedAt)) / 1000;
}

/** `queued_duration`: seconds spent pending before a runner took it (or until now while pending). */
export function buildQueuedDuration(build: Build, now: Timestamp): number | null {
  if (!build.queuedAt) return null;
  const end = build.startedAt ?? (build.status === "pending" ? now : build.finishedAt);
  if (!end) return null;
  return (Date.parse(end) - Date.parse(build.queuedAt)) / 1000;
}
