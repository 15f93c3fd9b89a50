// A runner's `finish`: the build ends with the runner's outcome (or `stuck_or_timeout_failure` after the
// watchdog stopped it for its timeout), once the server holds every trace byte the runner sent. Before
// the end, `coverage:` is read from the whole trace and dotenv variables are saved, in one transaction.

import type { BuildStatus, FinishMessage } from "@buildsim/core";
import type { Store } from "../store/create-store.js";
import type { BuildTransitions } from "./build-transitions.js";
import { extractCoverage } from "./extract-coverage.js";

/** What finishing needs. */
export interface FinishBuildDeps {
  store: Store;
  transitions: BuildTransitions;
  /** Now, as an ISO timestamp. */
  now: () => string;
}

/**
 * `finished`: the build's status afterwards (unchanged when it had already ended, e.g. canceled).
 * `traceIncomplete`: the server holds fewer bytes than the runner sent; nothing changed, and the runner
 * should resend from `held`.
 */
export type FinishOutcome =
  | { kind: "finished"; status: BuildStatus }
  | { kind: "traceIncomplete"; held: number };

/** Creates `finishBuild(message, timedOut)`; the build must exist and belong to the sending runner. */
export function createFinishBuild({ store, transitions, now }: FinishBuildDeps) {
  return function finishBuild(m: FinishMessage, timedOut: boolean): FinishOutcome {
    const held = store.traces.length(m.buildId) ?? 0;
    // Finishing now would lose bytes.
    if (held < m.traceBytes) return { kind: "traceIncomplete", held };
    const status = store.transaction(() => {
      let build = store.builds.get(m.buildId)!;
      // `coverage:` is read from the whole trace before the build ends, as GitLab's `update_coverage`.
      if (build.coverageRegex && build.status === "running") {
        const coverage = extractCoverage(store.traces.read(build.id).toString("utf8"), build.coverageRegex);
        if (coverage !== null) build = transitions.saveDetails({ ...build, coverage });
      }
      if (m.dotenvVariables && m.dotenvVariables.length > 0 && build.status === "running")
        build = transitions.saveDetails({
          ...build,
          dotenvVariables: m.dotenvVariables.map(({ key, value }) => ({ key, value, public: false })),
        });
      const at = now();
      const exitCode = m.exitCode === null || m.exitCode === undefined ? {} : { exitCode: m.exitCode };
      const event = timedOut
        ? ({ type: "drop", at, reason: "stuck_or_timeout_failure", ...exitCode } as const)
        : m.state === "success"
          ? ({ type: "success", at, ...exitCode } as const)
          : ({ type: "drop", at, reason: m.failureReason ?? "unknown_failure", ...exitCode } as const);
      return transitions.fire(build, event).status;
    });
    return { kind: "finished", status };
  };
}

export type FinishBuild = ReturnType<typeof createFinishBuild>;
