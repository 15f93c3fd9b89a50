// What a trigger job (bridge) with `strategy: depend` does when its downstream pipeline's status changes
// (Ci::Bridge#inherit_status_from_downstream): success and canceled are mirrored, failed or skipped fail it.
// Pure: the caller fires the event through the build machine.

import type { BuildEvent } from "./build-events.js";
import type { Timestamp } from "./domain.js";
import type { PipelineStatus } from "./status.js";

/** The event for the bridge, or null while the downstream pipeline is still going. */
export function bridgeEventForDownstream(
  status: PipelineStatus,
  at: Timestamp,
): Extract<BuildEvent, { type: "success" | "drop" | "cancel" }> | null {
  if (status === "success") return { type: "success", at };
  if (status === "canceled") return { type: "cancel", at };
  // `failed!` without a reason: the API shows `unknown_failure`.
  if (status === "failed" || status === "skipped") return { type: "drop", at };
  return null;
}
