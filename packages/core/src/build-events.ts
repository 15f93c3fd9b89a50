// Every event the build machine accepts. Each carries the time it happened: the machine never reads a clock.

import type { Timestamp } from "./domain.js";
import type { FailureReason } from "./status.js";

export type BuildEvent =
  /** created | skipped | manual → pending: ready for a runner. */
  | { type: "enqueue"; at: Timestamp }
  /** skipped | manual → created: processable again (a retry re-opened it). */
  | { type: "process"; at: Timestamp }
  /** pending → running: a runner claimed it. */
  | { type: "run"; at: Timestamp; runnerId: number }
  /**
   * running → pending: a claimed build its runner never started (no trace byte, never mentioned since
   * the claim: the `job` answer was lost). Not in GitLab's table, where such a build waits for the stuck
   * timeout and fails; here it goes back to the queue, where it was (queued_at kept).
   */
  | { type: "requeue"; at: Timestamp }
  /** created | pending → skipped: earlier stages decided it will not run. */
  | { type: "skip"; at: Timestamp }
  /** created | pending | running → failed. Without a reason, `unknown_failure` (GitLab's default). */
  | { type: "drop"; at: Timestamp; reason?: FailureReason; exitCode?: number }
  /** created | pending | running → success. */
  | { type: "success"; at: Timestamp; exitCode?: number }
  /** created | pending | running | manual → canceled. */
  | { type: "cancel"; at: Timestamp }
  /** created → manual: a `when: manual` build waits for someone to play it. */
  | { type: "actionize"; at: Timestamp }
  /** manual → pending, only for a playable build; the player becomes the build's user. */
  | { type: "play"; at: Timestamp; userId: number | null };

export type BuildEventType = BuildEvent["type"];

export const BUILD_EVENT_TYPES: readonly BuildEventType[] = [
  "enqueue",
  "process",
  "run",
  "requeue",
  "skip",
  "drop",
  "success",
  "cancel",
  "actionize",
  "play",
];
