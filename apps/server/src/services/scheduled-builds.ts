// Ends the countdown of delayed jobs: a `scheduled` build gets `enqueue_scheduled` once its
// `scheduled_at` has passed (GitLab's Ci::BuildScheduleWorker, run at `scheduled_at`). One timer is armed
// for the earliest countdown; a sweep catches countdowns that ended while no timer knew of them (restart).

import type { Build } from "@buildsim/core";
import type { ServerEvents } from "../events/server-events.js";
import type { Store } from "../store/create-store.js";
import type { BuildTransitions } from "./build-transitions.js";

/** The timer functions the countdown needs, injectable so tests drive time. */
export interface CountdownTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ScheduledBuildsDeps {
  store: Store;
  events: ServerEvents;
  transitions: BuildTransitions;
  now: () => string;
  timers: CountdownTimers;
  log: (line: string) => void;
}

/** Starts watching scheduled builds; `close()` stops the timer and the listener. */
export function watchScheduledBuilds(d: ScheduledBuildsDeps) {
  let timer: unknown;
  let armedFor: string | null = null;

  /** Enqueues every build whose countdown is over; returns how many moved on. */
  const enqueueDue = (): number => {
    const at = d.now();
    return d.store.transaction(() => {
      let moved = 0;
      for (const build of d.store.builds.listScheduledDue(at)) {
        if (d.transitions.fire(build, { type: "enqueue_scheduled", at }).status !== "scheduled") moved++;
      }
      return moved;
    });
  };

  const arm = () => {
    const next = d.store.builds.nextScheduledAt();
    if (next === armedFor) return;
    if (armedFor !== null) d.timers.clearTimeout(timer);
    armedFor = next;
    if (next === null) return;
    const dueMs = Math.max(0, Date.parse(next) - Date.parse(d.now()));
    timer = d.timers.setTimeout(() => {
      armedFor = null;
      sweep();
    }, dueMs);
  };

  const sweep = () => {
    try {
      enqueueDue();
    } catch (e) {
      d.log(`scheduled builds: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    arm();
  };

  const onBuild = (build: Build) => {
    if (build.status === "scheduled" && (armedFor === null || (build.scheduledAt ?? "") < armedFor)) arm();
  };
  d.events.on("buildChanged", onBuild);
  sweep();
  return {
    sweep,
    close(): void {
      d.events.off("buildChanged", onBuild);
      if (armedFor !== null) d.timers.clearTimeout(timer);
      armedFor = null;
    },
  };
}

export type ScheduledBuilds = ReturnType<typeof watchScheduledBuilds>;
