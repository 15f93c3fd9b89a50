// What a trigger job (bridge) with a `strategy:` does when its downstream pipeline's status changes
// (Ci::Bridge#inherit_status_from_downstream). `depend`: success and canceled are taken over, failed or
// skipped fail it. `mirror` (GitLab 18.2+): the bridge takes success, failed, canceled, skipped and manual
// as they are, so a blocked downstream pipeline shows a blocked (manual) bridge instead of a running one.
// Pure: the caller fires the event through the build machine.
// https://docs.gitlab.com/ci/yaml/#triggerstrategy

import type { BuildEvent, DownstreamOutcome } from "./build-events.js";
import type { Timestamp, TriggerStrategy } from "./domain.js";
import type { PipelineStatus } from "./status.js";

const DEPEND: Partial<Record<PipelineStatus, DownstreamOutcome>> = {
  success: "success",
  canceled: "canceled",
  failed: "failed",
  skipped: "failed",
};
const MIRROR: Partial<Record<PipelineStatus, DownstreamOutcome>> = {
  success: "success",
  canceled: "canceled",
  failed: "failed",
  skipped: "skipped",
  manual: "manual",
};

/** The event for the bridge, or null while the downstream pipeline is still going (or has no strategy). */
export function bridgeEventForDownstream(
  strategy: TriggerStrategy | null,
  status: PipelineStatus,
  at: Timestamp,
): Extract<BuildEvent, { type: "follow_downstream" }> | null {
  if (strategy === null) return null;
  const outcome = (strategy === "mirror" ? MIRROR : DEPEND)[status];
  return outcome ? { type: "follow_downstream", at, status: outcome } : null;
}
