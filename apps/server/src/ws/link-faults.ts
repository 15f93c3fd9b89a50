// What the WebSocket layer asks of the fault rules: is any link rule in force, and does one take this
// moment (a runner's message, a trace chunk to a watcher). The contract-testing controls' FaultPlan answers.

import type { LinkFaultDecision, LinkMoment } from "../http/fault-plan.js";

/** The link side of the fault rules. */
export interface LinkFaults {
  /** Checked before anything else: false on every moment while no link rule is in force. */
  readonly linkActive: boolean;
  decideLink(moment: LinkMoment): LinkFaultDecision | undefined;
}
