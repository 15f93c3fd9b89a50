// Every event the build machine accepts. Each carries the time it happened: the machine never reads a clock.

import type { Timestamp } from "./domain.js";
import type { FailureReason } from "./status.js";

export type BuildEvent =
  /**
   * created | skipped | manual | scheduled → pending: ready for a runner; → waiting_for_resource instead
   * when the build has a `resource_group`. Also waiting_for_resource → pending (GitLab's CommitStatus).
   */
  | { type: "enqueue"; at: Timestamp }
  /** created → scheduled: a `when: delayed` build starts its `start_in` countdown. */
  | { type: "schedule"; at: Timestamp }
  /** scheduled → pending (or waiting_for_resource): the countdown is over; a no-op before `scheduledAt`. */
  | { type: "enqueue_scheduled"; at: Timestamp }
  /** scheduled → manual: the countdown was stopped ("unschedule" in GitLab's UI). */
  | { type: "unschedule"; at: Timestamp }
  /** waiting_for_resource → pending: the build was given its resource group's resource. */
  | { type: "enqueue_waiting_for_resource"; at: Timestamp }
  /** skipped | manual → created: processable again (a retry re-opened it). */
  | { type: "process"; at: Timestamp }
  /** pending → running: a runner claimed it (runnerId), or a trigger job waits on its downstream pipeline (null). */
  | { type: "run"; at: Timestamp; runnerId: number | null }
  /**
   * running → pending: a claimed build its runner never started (no trace byte, never mentioned since
   * the claim: the `job` answer was lost). Not in GitLab's table, where such a build waits for the stuck
   * timeout and fails; here it goes back to the queue, where it was (queued_at kept).
   */
  | { type: "requeue"; at: Timestamp }
  /** created | waiting_for_resource | pending → skipped: earlier stages decided it will not run. */
  | { type: "skip"; at: Timestamp }
  /**
   * created | waiting_for_resource | pending | running | scheduled → failed. Without a reason,
   * `unknown_failure` (GitLab's default).
   */
  | { type: "drop"; at: Timestamp; reason?: FailureReason; exitCode?: number }
  /** created | waiting_for_resource | pending | running → success. */
  | { type: "success"; at: Timestamp; exitCode?: number }
  /** created | waiting_for_resource | pending | running | manual | scheduled → canceled. */
  | { type: "cancel"; at: Timestamp }
  /** created → manual: a `when: manual` build waits for someone to play it. */
  | { type: "actionize"; at: Timestamp }
  /**
   * manual | scheduled → pending (waiting_for_resource with a `resource_group`), only for a playable build
   * (a scheduled one runs at once); the player becomes the build's user.
   */
  | { type: "play"; at: Timestamp; userId: number | null }
  /**
   * Trigger jobs only (`Ci::Bridge#inherit_status_from_downstream`, whose events go `all => status`):
   * pending | running | manual → `status`, the downstream pipeline's outcome as the bridge's strategy reads
   * it. A failure is `unknown_failure`, as GitLab's `failed!` without a reason.
   */
  | { type: "follow_downstream"; at: Timestamp; status: DownstreamOutcome }
  /**
   * Trigger jobs only (`Ci::Pipeline#reset_source_bridge!`: `pending!`): running | success | failed |
   * canceled | skipped | manual → pending, waiting again for a downstream pipeline that was retried.
   */
  | { type: "await_downstream"; at: Timestamp };

/** The statuses a trigger job takes from its downstream pipeline (`strategy: mirror` uses them all). */
export type DownstreamOutcome = "success" | "failed" | "canceled" | "skipped" | "manual";

export type BuildEventType = BuildEvent["type"];

export const BUILD_EVENT_TYPES: readonly BuildEventType[] = [
  "enqueue",
  "schedule",
  "enqueue_scheduled",
  "unschedule",
  "enqueue_waiting_for_resource",
  "process",
  "run",
  "requeue",
  "skip",
  "drop",
  "success",
  "cancel",
  "actionize",
  "play",
  "follow_downstream",
  "await_downstream",
];
